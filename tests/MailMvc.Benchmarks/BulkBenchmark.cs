using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Suppression;
using MailMvc.Templates;
using MailMvc.Web.EmailTemplates;
using MailMvc.Web.Welcome;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailMvc.Benchmarks;

/// <summary>
/// Sends N personalised Welcome mails through <see cref="IMailer.SendManyAsync"/> and prints one line of figures.
/// With <c>--queued</c> the mails go through the durable outbox: the line adds the enqueue rate, and the loop
/// rate runs from the first enqueue to the last delivery.
/// </summary>
internal static class BulkBenchmark
{
    private const string WelcomeTemplate = "Welcome";

    public static async Task<int> RunAsync(BulkOptions options)
    {
        // The run's SQLite files (the suppression list, and the outbox on SQLite: about 85 MB for 10,000 mails) go in a
        // folder of their own, deleted when the run ends, so repeated runs do not fill the temporary folder.
        var data = Directory.CreateTempSubdirectory("mailmvc-bench-").FullName;
        try
        {
            return await RunAsync(options, data);
        }
        finally
        {
            // The pooled connections keep the files open.
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<int> RunAsync(BulkOptions options, string data)
    {
        using var host = BuildHost(options, data);
        // Only queued mode needs the host's background services (the outbox's workers); direct sending runs
        // without them, as a console app using the library would, and without the templates' start-up warm-up.
        var started = options.Queued is not null;
        if (started)
        {
            await host.StartAsync();
        }

        var mailer = host.Services.GetRequiredService<IMailer>();
        var renderer = host.Services.GetRequiredService<IEmailRenderer>();
        var outbox = options.Queued is null ? null : host.Services.GetRequiredService<IMailOutbox>();
        using var outcomes = outbox is null ? null : new OutboxOutcomes();

        // Compiles the templates, as the app does at start-up. Opens the suppression list, as the app's first mail does (its
        // file and table, and SQLite itself in a direct run: about a tenth of a second once, measured in the whole
        // process's figures, not in the send loop's).
        await renderer.RenderAsync(WelcomeTemplate, new WelcomeModel("Warm Up", "warm@example.com"));
        await host.Services.GetRequiredService<ISuppressionList>().FindAsync(["warm@example.com"]);

        if (options.Requests is { } concurrency)
        {
            return await RunRequestsAsync(mailer, renderer, options, concurrency);
        }

        var loop = Stopwatch.StartNew();
        int sent = 0, failed = 0;
        string? firstError = null;
        await foreach (var result in mailer.SendManyAsync(WelcomeMailsAsync(renderer, options.Count), options.Connections))
        {
            if (result.IsSent)
            {
                sent++;
            }
            else
            {
                failed++;
                firstError ??= result.Error!.Message;
            }
        }

        var enqueueSeconds = loop.Elapsed.TotalSeconds;
        if (outbox is not null)
        {
            (sent, failed) = await WaitForDeliveryAsync(outbox, outcomes!, sent);
        }

        loop.Stop();
        if (started)
        {
            await host.StopAsync();
        }

        using var process = Process.GetCurrentProcess();
        var seconds = (DateTime.Now - process.StartTime).TotalSeconds;
        if (firstError is not null)
        {
            await Console.Error.WriteLineAsync($"first failure: {firstError}");
        }

        var queued = options.Queued is null ? "" : string.Create(CultureInfo.InvariantCulture,
            $" mode=queued-{options.Queued} enqueue_msgs_per_s={options.Count / enqueueSeconds:0}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sent={sent} failed={failed} connections={options.Connections} seconds={seconds:0.00} msgs_per_s={sent / seconds:0} " +
            $"loop_msgs_per_s={sent / loop.Elapsed.TotalSeconds:0} cpu_s={process.TotalProcessorTime.TotalSeconds:0.00} " +
            $"peak_rss_mb={process.PeakWorkingSet64 / (1024 * 1024)}{queued}"));
        if (Environment.GetEnvironmentVariable("BENCH_GCSTATS") is { Length: > 0 })
        {
            // The collector's side of the run (docs/benchmark.md, "Collections"), on standard error so the line above
            // stays the one line project.sh reads.
            var last = GC.GetGCMemoryInfo(GCKind.Ephemeral);
            await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"gc0={GC.CollectionCount(0)} gc1={GC.CollectionCount(1)} gc2={GC.CollectionCount(2)} " +
                $"paused_ms={GC.GetTotalPauseDuration().TotalMilliseconds:0} allocated_mb={GC.GetTotalAllocatedBytes() / (1024 * 1024)} " +
                $"last_promoted_kb={last.PromotedBytes / 1024} finalizers_pending={last.FinalizationPendingCount}"));
        }

        return failed == 0 ? 0 : 1;
    }

    /// <summary>One mail per call, <paramref name="concurrency"/> calls at once, as web requests that each send one mail
    /// (a password reset, a compose POST): renders and sends each with <c>IMailer.SendAsync</c>, timing every call.</summary>
    private static async Task<int> RunRequestsAsync(IMailer mailer, IEmailRenderer renderer, BulkOptions options, int concurrency)
    {
        var latencies = new double[options.Count];
        int failed = 0;
        string? firstError = null;
        var loop = Stopwatch.StartNew();
        await Parallel.ForAsync(0, options.Count, new ParallelOptions { MaxDegreeOfParallelism = concurrency }, async (i, ct) =>
        {
            var started = Stopwatch.GetTimestamp();
            try
            {
                await mailer.SendAsync(await WelcomeMailAsync(renderer, i, ct), ct);
            }
            catch (MailDeliveryException e)
            {
                Interlocked.Increment(ref failed);
                Interlocked.CompareExchange(ref firstError, e.Message, null);
            }

            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        });
        loop.Stop();

        using var process = Process.GetCurrentProcess();
        var seconds = (DateTime.Now - process.StartTime).TotalSeconds;
        if (firstError is not null)
        {
            await Console.Error.WriteLineAsync($"first failure: {firstError}");
        }

        Array.Sort(latencies);
        var sent = options.Count - failed;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sent={sent} failed={failed} connections={options.Connections} seconds={seconds:0.00} msgs_per_s={sent / seconds:0} " +
            $"loop_msgs_per_s={sent / loop.Elapsed.TotalSeconds:0} cpu_s={process.TotalProcessorTime.TotalSeconds:0.00} " +
            $"peak_rss_mb={process.PeakWorkingSet64 / (1024 * 1024)} mode=requests concurrency={concurrency} pool={options.Pool} " +
            $"p50_ms={latencies[latencies.Length / 2]:0.0} p99_ms={latencies[(int)(latencies.Length * 0.99)]:0.0}"));
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Run after each build (Directory.Build.targets): saves the templates compiled, where
    /// <see cref="BuildHost"/> loads them from (the build passes the folder as <c>--EmailTemplates:…</c>).</summary>
    public static async Task<int> PrecompileTemplatesAsync(string[] args)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddCommandLine(args);
        AddTemplates(builder.Services, builder.Configuration.GetSection(EmailTemplateOptions.SectionName));
        using var host = builder.Build();
        return await EmailTemplatePrecompiler.RunAsync(host.Services, Console.Out);
    }

    /// <param name="options">The run's options.</param>
    /// <param name="data">The folder for the run's SQLite files.</param>
    private static IHost BuildHost(BulkOptions options, string data)
    {
        var builder = new HostApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Logging.AddSimpleConsole().SetMinimumLevel(options.Debug ? LogLevel.Information : LogLevel.Warning);
        builder.Services.AddMail(new ConfigurationBuilder().Build(), mail =>
        {
            mail.Server = options.Host;
            mail.Port = options.Port;
            mail.DefaultSender = "MailMvc <noreply@example.com>";
            mail.DeliveryMethod = MailDeliveryMethod.Smtp;
            mail.SuppressSend = false;
            mail.Debug = options.Debug;
            mail.PoolSize = options.Pool;
        })
        // As in the app: every mail is checked against the suppression list (in the outbox's database when it is on, in a
        // file of its own otherwise), before it is sent or queued and again by the outbox's workers.
        .AddSuppressionList()
        .AddOutbox(outbox =>
        {
            // As in the app: the outbox is registered, and on only when asked for.
            if (options.Queued is { } store)
            {
                var connectionString = options.ConnectionString
                    ?? (store == "postgres"
                        ? throw new ArgumentException("--queued postgres needs --connection-string.")
                        : $"Data Source={Path.Combine(data, "outbox.db")}");
                if (store == "postgres")
                {
                    outbox.UsePostgres(connectionString);
                }
                else
                {
                    outbox.UseSqlite(connectionString);
                }

                outbox.Configure(o => o.Connections = options.Connections);
            }
        });
        builder.Services.Configure<SuppressionOptions>(suppression =>
            suppression.DatabasePath = Path.Combine(data, "suppressions.db"));
        AddTemplates(builder.Services, new ConfigurationBuilder().Build());
        builder.Services.PostConfigure<EmailTemplateOptions>(templates => templates.InlineCss = options.InlineCss);
        return builder.Build();
    }

    private static void AddTemplates(IServiceCollection services, IConfiguration section) =>
        services.AddEmailTemplates(section, templates =>
        {
            templates.AddMailMvcModels();
            templates.CompiledTemplatesPath ??= "compiled-templates";
        });

    /// <summary>Waits until the outbox has sent or failed every mail this run queued, as its published metrics count
    /// them (no database polling while the workers deliver; once a second the outbox's depth, should a mail be
    /// cancelled or deleted under it).</summary>
    private static async Task<(int Sent, int Failed)> WaitForDeliveryAsync(IMailOutbox outbox, OutboxOutcomes outcomes, int queued)
    {
        var lastCheck = Stopwatch.StartNew();
        while (outcomes.Sent + outcomes.Failed < queued)
        {
            await Task.Delay(10);
            if (lastCheck.Elapsed > TimeSpan.FromSeconds(1))
            {
                if ((await outbox.GetCountsAsync()).Depth == 0)
                {
                    break;
                }

                lastCheck.Restart();
            }
        }

        return ((int)outcomes.Sent, queued - (int)outcomes.Sent);
    }

    /// <summary>Renders each mail only when a connection is ready for it, so memory stays flat as N grows.</summary>
    private static async IAsyncEnumerable<Message> WelcomeMailsAsync(IEmailRenderer renderer, int count, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            yield return await WelcomeMailAsync(renderer, i, cancellationToken);
        }
    }

    /// <summary>User <paramref name="i"/>'s Welcome mail, rendered as the app renders it.</summary>
    private static async Task<Message> WelcomeMailAsync(IEmailRenderer renderer, int i, CancellationToken cancellationToken)
    {
        var email = string.Create(CultureInfo.InvariantCulture, $"user{i}@example.com");
        var rendered = await renderer.RenderAsync(WelcomeTemplate, new WelcomeModel(string.Create(CultureInfo.InvariantCulture, $"User {i}"), email), cancellationToken);
        return new Message(rendered.Subject, [email], rendered.Text, rendered.Html);
    }
}
