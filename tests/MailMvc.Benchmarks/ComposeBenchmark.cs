using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Reflection;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace MailMvc.Benchmarks;

/// <summary>
/// One mail per web request, as users send it: starts the built web app (Release, Production, the sending rate limit
/// lifted, mail to <c>--host</c>:<c>--port</c>) as a process of its own on a free loopback port, opens <c>/compose</c>
/// for the antiforgery token and cookie, then POSTs the compose form <c>--count</c> times, <c>--concurrency</c> at once
/// over keep-alive connections (<see cref="ComposeConnection"/>),
/// and prints one line: the POSTs' rate and latency, and the app's CPU over them and its peak memory.
/// </summary>
internal static partial class ComposeBenchmark
{
    private const string SubjectPrefix = "Compose benchmark ";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(60);

    public static async Task<int> RunAsync(ComposeOptions options)
    {
        var app = options.App ?? FindReleaseApp();
        var data = Directory.CreateTempSubdirectory("mailmvc-compose-bench-").FullName;
        using var process = StartApp(app, options, data);
        var output = new List<string>();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(line);
            }

            if (ListeningLine().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
            }
        }

        process.OutputDataReceived += (_, e) => OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => OnLine(e.Data);
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var first = await Task.WhenAny(listening.Task, process.WaitForExitAsync()).WaitAsync(s_startTimeout);
            if (first != listening.Task)
            {
                Console.Error.WriteLine($"The app exited with code {process.ExitCode} before it listened:\n{string.Join('\n', output)}");
                return 1;
            }

            return await PostAllAsync(process, await listening.Task, options, output);
        }
        catch (TimeoutException)
        {
            Console.Error.WriteLine($"The app did not listen within {s_startTimeout.TotalSeconds:0} s:\n{string.Join('\n', output)}");
            return 1;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<int> PostAllAsync(Process app, Uri address, ComposeOptions options, List<string> output)
    {
        (string Token, string Cookie) form;
        using (var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address })
        {
            form = await OpenComposeAsync(client);
        }

        // One keep-alive connection per POST in flight, as a browser tab keeps one.
        var connections = new ConcurrentBag<ComposeConnection>();
        string? firstFailure = null;
        async Task<(bool Ok, double Ms)> PostAsync(string subject, int i)
        {
            var connection = connections.TryTake(out var idle) ? idle : new ComposeConnection(address, form.Token, form.Cookie);
            var started = Stopwatch.GetTimestamp();
            var answer = await connection.PostAsync($"reader{i}@example.com", subject, $"Hello reader {i},\n\nthis is one mail per request.\n\nThe benchmark");
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            connections.Add(connection);
            // Success is the redirect to the sent page; a failed send answers 200 with the form and the error.
            var ok = answer.Status == (int)HttpStatusCode.Redirect && answer.Location?.EndsWith("/compose/sent", StringComparison.Ordinal) == true;
            if (!ok)
            {
                Interlocked.CompareExchange(ref firstFailure, $"{answer.Status} {ErrorText(answer.Body)}", null);
            }

            return (ok, ms);
        }

        // For a profiler (perf record -p), on stderr so the figure line stays one line.
        Console.Error.WriteLine($"app pid {app.Id}");
        for (var i = 0; i < options.Warmup; i++)
        {
            await PostAsync($"Compose warm-up {i}", i);
        }

        app.Refresh();
        var cpuBefore = app.TotalProcessorTime;
        var latencies = new double[options.Count];
        var ok = 0;
        var loop = Stopwatch.StartNew();
        await Parallel.ForEachAsync(Enumerable.Range(0, options.Count), new ParallelOptions { MaxDegreeOfParallelism = options.Concurrency },
            async (i, _) =>
            {
                var (sent, ms) = await PostAsync(SubjectPrefix + i.ToString(CultureInfo.InvariantCulture), i);
                latencies[i] = ms;
                if (sent)
                {
                    Interlocked.Increment(ref ok);
                }
            });
        loop.Stop();
        app.Refresh();
        var cpu = app.TotalProcessorTime - cpuBefore;
        var peakMb = PeakRssBytes(app.Id) / (1024 * 1024);

        Array.Sort(latencies);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"posts={options.Count} ok={ok} seconds={loop.Elapsed.TotalSeconds:0.00} posts_per_s={options.Count / loop.Elapsed.TotalSeconds:0} " +
            $"p50_ms={Percentile(latencies, 0.50):0.0} p99_ms={Percentile(latencies, 0.99):0.0} cpu_s={cpu.TotalSeconds:0.00} peak_rss_mb={peakMb} " +
            $"concurrency={options.Concurrency} pool={(options.Pool is { } pool ? pool.ToString(CultureInfo.InvariantCulture) : "app")} warmup={options.Warmup}"));
        if (firstFailure is not null)
        {
            Console.Error.WriteLine($"first failed POST: {firstFailure}");
            lock (output)
            {
                Console.Error.WriteLine(string.Join('\n', output.TakeLast(20)));
            }
        }

        foreach (var connection in connections)
        {
            connection.Dispose();
        }

        var verified = options.VerifyDump is not { } dump || Verify(dump, options.Count);
        return ok == options.Count && verified ? 0 : 1;
    }

    /// <summary>GETs the compose page as a browser does: the form's antiforgery token and the cookie it pairs with.</summary>
    private static async Task<(string Token, string Cookie)> OpenComposeAsync(HttpClient client)
    {
        using var response = await client.GetAsync("compose");
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK || TokenInput().Match(html) is not { Success: true } token)
        {
            throw new InvalidOperationException($"GET /compose answered {(int)response.StatusCode} without a form token; is sending allowed (Sending:AllowAnonymous)?");
        }

        var cookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : [];
        return (WebUtility.HtmlDecode(token.Groups[1].Value), string.Join("; ", cookies));
    }

    /// <summary>Checks the mails <c>smtp-sink -d</c> dumped: each timed POST's subject exactly once.</summary>
    private static bool Verify(string dump, int count)
    {
        var mails = Directory.EnumerateFiles(dump, "*", SearchOption.AllDirectories).Select(File.ReadAllText)
            .Select(text => (Subject: SubjectLine().Match(text), MessageId: MessageIdLine().Match(text)))
            .Where(m => m.Subject.Success && m.Subject.Groups[1].Value.StartsWith(SubjectPrefix, StringComparison.Ordinal))
            .ToList();
        var subjects = mails.Select(m => m.Subject.Groups[1].Value.TrimEnd('\r')).ToList();
        var messageIds = mails.Select(m => m.MessageId.Groups[1].Value.TrimEnd('\r')).Where(id => id.Length > 0).Distinct().Count();
        var expected = Enumerable.Range(0, count).Select(i => SubjectPrefix + i.ToString(CultureInfo.InvariantCulture)).ToHashSet();
        var duplicates = subjects.Count - subjects.Distinct().Count();
        var missing = expected.Count(s => !subjects.Contains(s));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"verify: mails={subjects.Count} expected={count} distinct={subjects.Distinct().Count()} message_ids={messageIds} duplicates={duplicates} missing={missing}"));
        return duplicates == 0 && missing == 0 && subjects.Count == count && messageIds == count;
    }

    private static Process StartApp(string app, ComposeOptions options, string data)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Path.GetDirectoryName(app)!,
        };
        foreach (var argument in new[] { app, "--urls", "http://127.0.0.1:0" })
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MAIL_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Sending__AllowAnonymous"] = "true",
            ["EmailTemplates__BaseUrl"] = "https://mail.example.test/",
            // Required outside Development; made per run, never a constant.
            ["Unsubscribe__SigningKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Mail__DeliveryMethod"] = "Smtp",
            ["Mail__Server"] = options.Host,
            ["Mail__Port"] = options.Port.ToString(CultureInfo.InvariantCulture),
            ["Mail__SuppressSend"] = "false",
            ["Mail__Debug"] = "false",
            ["Mail__Outbox__Enabled"] = "false",
            ["Mail__Suppression__DatabasePath"] = Path.Combine(data, "suppressions.db"),
            ["BulkWelcome__DatabasePath"] = Path.Combine(data, "bulk.db"),
            // The sending rate limit lifted: the benchmark is one client address sending far more than a person would.
            ["RateLimits__Sending__PermitsPerMinute"] = "100000",
            ["RateLimits__Sending__RecipientsPerMinute"] = "1000000",
            ["RateLimits__Sending__RecipientsPerDay"] = "10000000",
        };
        if (options.Pool is { } pool)
        {
            settings["Mail__PoolSize"] = pool.ToString(CultureInfo.InvariantCulture);
        }

        foreach (var (name, value) in settings)
        {
            start.Environment[name] = value;
        }

        return new Process { StartInfo = start };
    }

    /// <summary>The web app's Release build in this repository, for the benchmark's own framework (the benchmark's
    /// build builds it too): <c>src/MailMvc.Web/bin/Release/net10.0/</c>, not a copy a runtime-specific build or publish
    /// left beside it (<c>…/net10.0/linux-x64/</c>), which may be older.</summary>
    private static string FindReleaseApp()
    {
        var framework = new FrameworkName(typeof(ComposeBenchmark).Assembly.GetCustomAttribute<TargetFrameworkAttribute>()!.FrameworkName);
        var folder = $"net{framework.Version.ToString(2)}";
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "MailMvc.sln")))
            {
                var app = Path.Combine(directory.FullName, "src", "MailMvc.Web", "bin", "Release", folder, "MailMvc.Web.dll");
                return File.Exists(app) ? app : throw new InvalidOperationException(
                    $"No Release build of the web app at {app}. Build it: dotnet build -c Release src/MailMvc.Web (or pass --app PATH/MailMvc.Web.dll).");
            }
        }

        throw new InvalidOperationException("MailMvc.sln not found above the benchmark; pass --app PATH/MailMvc.Web.dll.");
    }

    private static long PeakRssBytes(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static string ErrorText(string html) =>
        ErrorSummary().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(TagPattern().Replace(m.Groups[1].Value, " ").Trim()) : html.Length > 200 ? html[..200] : html;

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    [GeneratedRegex("<input[^>]*name=\"__RequestVerificationToken\"[^>]*value=\"([^\"]+)\"")]
    private static partial Regex TokenInput();

    [GeneratedRegex(@"^Subject: (.*)$", RegexOptions.Multiline)]
    private static partial Regex SubjectLine();

    [GeneratedRegex(@"^Message-Id: (.*)$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex MessageIdLine();

    [GeneratedRegex("error-summary[^>]*>(.*?)</div>", RegexOptions.Singleline)]
    private static partial Regex ErrorSummary();

    [GeneratedRegex("<[^>]+>")]
    private static partial Regex TagPattern();
}
