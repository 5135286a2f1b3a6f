using System.Diagnostics;
using System.Text.RegularExpressions;

namespace MailMvc.Web.Tests.Processes;

/// <summary>
/// The real app as a process of its own (<c>dotnet MailMvc.Web.dll</c> from this test project's build output), on a
/// loopback port the OS picks. Its console output is kept (the last lines) for failure messages. <see cref="KillAsync"/>
/// ends it as a crash would (SIGKILL, no shutdown); disposing it does the same if it still runs.
/// </summary>
internal sealed partial class AppProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 200;
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(30);

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly TaskCompletionSource<Uri> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private AppProcess(Process process) => _process = process;

    /// <summary>The app's address, for example <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>When the process was started (<see cref="Stopwatch.GetTimestamp"/>), for timings from process start.</summary>
    public long StartedAt { get; private set; }

    /// <summary>The app's process id (the app runs inside the <c>dotnet</c> host), for reading its memory from /proc.</summary>
    public int Id => _process.Id;

    /// <summary>The last lines the app wrote to stdout and stderr.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    /// <summary>Starts the app with <paramref name="environment"/> added to (or replacing) this process's variables,
    /// and waits until it listens.</summary>
    /// <param name="environment">Variables such as <c>Mail__Server</c>; Flask-Mail's <c>MAIL_*</c> ones are never
    /// inherited, since they would win over the test's settings.</param>
    /// <param name="workingDirectory">The app's current directory; it never decides the content root (the app's own
    /// folder, or in Development the repository the build recorded).</param>
    /// <exception cref="InvalidOperationException">The app exited or did not listen within 30 s.</exception>
    public static async Task<AppProcess> StartAsync(IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var start = CreateStartInfo(["--urls", "http://127.0.0.1:0"], environment, workingDirectory);
        var process = new Process { StartInfo = start };
        var running = new AppProcess(process);
        process.OutputDataReceived += (_, e) => running.OnOutput(e.Data);
        process.ErrorDataReceived += (_, e) => running.OnOutput(e.Data);
        running.StartedAt = Stopwatch.GetTimestamp();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var exited = process.WaitForExitAsync();
            var first = await Task.WhenAny(running._listening.Task, exited).WaitAsync(s_startTimeout);
            if (first != running._listening.Task)
            {
                throw new InvalidOperationException($"The app exited with code {process.ExitCode} before it listened. Its output:\n{running.Output}");
            }

            running.BaseAddress = await running._listening.Task;
            return running;
        }
        catch (TimeoutException)
        {
            await running.DisposeAsync();
            throw new InvalidOperationException($"The app did not listen within {s_startTimeout.TotalSeconds:0} s. Its output:\n{running.Output}");
        }
        catch
        {
            await running.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs the app with <paramref name="arguments"/> (a command such as the templates' precompile step) and
    /// waits for it to exit.</summary>
    /// <returns>Its exit code and everything it wrote.</returns>
    public static async Task<(int ExitCode, string Output)> RunToExitAsync(
        IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        using var process = Process.Start(CreateStartInfo(arguments, environment, workingDirectory))!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_startTimeout * 2);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output + await errors);
    }

    /// <summary><c>dotnet MailMvc.Web.dll</c> (the web project's output, copied beside the tests by the project
    /// reference, with its deps and runtimeconfig) with <paramref name="arguments"/>.</summary>
    private static ProcessStartInfo CreateStartInfo(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, string workingDirectory)
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        start.ArgumentList.Add(typeof(Program).Assembly.Location);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MAIL_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        // Required outside Development; a test may give another.
        start.Environment["Unsubscribe__SigningKey"] = Pages.MailMvcFactory.UnsubscribeKey;
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    /// <summary>Kills the app and everything it started at once (SIGKILL): no shutdown, no flush, as in a crash.</summary>
    public async Task KillAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Killed but not yet reaped; nothing more can be done from here.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningLine();

    private void OnOutput(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > OutputLinesKept)
            {
                _output.Dequeue();
            }
        }

        if (ListeningLine().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(new Uri(match.Groups[1].Value.TrimEnd('/') + "/"));
        }
    }
}
