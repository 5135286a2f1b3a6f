using System.Diagnostics;
using System.Text;

namespace MailMvc.Packaging.Tests;

/// <summary>Runs the dotnet CLI in a child process, as a person would in a shell.</summary>
internal static class DotNetCli
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(4);

    /// <summary>Runs <c>dotnet</c> with <paramref name="arguments"/> and returns its exit code and output (standard
    /// output and error, as they came).</summary>
    /// <exception cref="TimeoutException">It ran longer than four minutes; it was killed.</exception>
    public static async Task<(int ExitCode, string Output)> RunAsync(
        string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(Host())
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // dotnet test hands its own MSBuild's location down to the test host; a child build must find its own.
        foreach (var name in start.Environment.Keys.Where(key => key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeout = new CancellationTokenSource(s_timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet {string.Join(' ', start.ArgumentList)} ran longer than {s_timeout}:\n{Snapshot(output)}");
        }

        return (process.ExitCode, Snapshot(output));
    }

    /// <summary>Runs <c>dotnet</c> and fails the test, with its output, when it does not succeed.</summary>
    public static async Task<string> RunSuccessfullyAsync(
        string workingDirectory, IEnumerable<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        var listed = arguments.ToList();
        var (exitCode, output) = await RunAsync(workingDirectory, listed, environment);
        Assert.True(exitCode == 0, $"dotnet {string.Join(' ', listed)} exited with {exitCode}:\n{output}");
        return output;
    }

    /// <summary>The dotnet that runs these tests (the SDK names it in DOTNET_HOST_PATH), else the one on the PATH.</summary>
    private static string Host() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
