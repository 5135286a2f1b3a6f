using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>
/// A real SMTP server (aiosmtpd, <c>smtp_server.py</c>) on a free loopback port, one per test. It writes every
/// connection, AUTH and accepted message to a journal file before it replies, so once a send has returned the
/// journal already holds what the server saw. Dispose it to stop the server.
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string InstallHint = "Run: apt-get install -y python3-aiosmtpd";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly string _directory;
    private readonly string _journal;

    private SmtpTestServer(Process process, string directory, string journal)
    {
        _process = process;
        _directory = directory;
        _journal = journal;
    }

    /// <summary>The loopback port the server listens on.</summary>
    public int Port { get; private set; }

    /// <summary>The messages the server accepted, in order.</summary>
    public IReadOnlyList<ReceivedMessage> Messages => ReadJournal("message").Select(e => new ReceivedMessage(
        e.GetProperty("mail_from").GetString()!,
        e.GetProperty("rcpt_tos").EnumerateArray().Select(r => r.GetString()!).ToList(),
        e.GetProperty("data").GetString()!,
        e.GetProperty("tls").GetBoolean(),
        e.GetProperty("authenticated").GetBoolean())).ToList();

    /// <summary>How many TCP connections the server accepted.</summary>
    public int ConnectionCount => ReadJournal("connect").Count;

    /// <summary>The AUTH mechanisms of the successful logins, in order.</summary>
    public IReadOnlyList<string> SuccessfulLogins => ReadJournal("auth")
        .Where(e => e.GetProperty("success").GetBoolean())
        .Select(e => e.GetProperty("mechanism").GetString()!)
        .ToList();

    /// <summary>Starts a server and waits until it listens.</summary>
    /// <exception cref="InvalidOperationException">Python or aiosmtpd is missing, or the server did not start.</exception>
    public static async Task<SmtpTestServer> StartAsync(SmtpTestServerOptions? options = null)
    {
        options ??= new SmtpTestServerOptions();
        if (!File.Exists(Python))
        {
            throw new InvalidOperationException($"The SMTP integration tests need Debian's {Python} with aiosmtpd. {InstallHint}");
        }

        var directory = Directory.CreateTempSubdirectory("mailmvc-smtp-").FullName;
        var journal = Path.Combine(directory, "journal.jsonl");
        var start = new ProcessStartInfo(Python)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments(options, directory, journal))
        {
            start.ArgumentList.Add(argument);
        }

        var stderr = new StringBuilder();
        var process = new Process { StartInfo = start };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (stderr)
            {
                stderr.AppendLine(e.Data);
            }
        };

        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            Directory.Delete(directory, recursive: true);
            throw new InvalidOperationException($"Could not start {Python}: {e.Message}. {InstallHint}", e);
        }

        process.BeginErrorReadLine();
        var server = new SmtpTestServer(process, directory, journal);
        try
        {
            server.Port = await ReadPortAsync(process, stderr);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Options for a mailer that talks to this server and trusts only the test certificate.</summary>
    /// <summary>A loopback port nothing listens on (bound once and released), for "server not there" tests.</summary>
    public static int FindClosedPort()
    {
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port;
    }

    public MailOptions CreateMailOptions() => new()
    {
        Server = "127.0.0.1",
        Port = Port,
        DeliveryMethod = MailDeliveryMethod.Smtp,
        SuppressSend = false,
        Debug = false,
        DefaultSender = "MailMvc Tests <sender@example.com>",
        Timeout = TimeSpan.FromSeconds(5),
        CheckCertificateRevocation = false,
        ServerCertificateValidationCallback = TestCertificate.Validate,
    };

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Leave it; the server also exits when its stdin closes with this process.
            }
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }

    private static IEnumerable<string> Arguments(SmtpTestServerOptions options, string directory, string journal)
    {
        yield return Path.Combine(AppContext.BaseDirectory, "Integration", "smtp_server.py");
        yield return "--journal";
        yield return journal;
        if (options.Silent)
        {
            yield return "--silent";
        }

        if (options.StartTls || options.ImplicitTls)
        {
            var (certificate, key) = TestCertificate.WritePemFiles(directory);
            yield return "--tls-cert";
            yield return certificate;
            yield return "--tls-key";
            yield return key;
            if (options.ImplicitTls)
            {
                yield return "--implicit-tls";
            }
        }

        if (options.AuthUser is not null)
        {
            yield return "--auth-user";
            yield return options.AuthUser;
            yield return "--auth-password";
            yield return options.AuthPassword ?? "";
        }

        if (options.AuthMechanism is not null)
        {
            yield return "--auth-mechanism";
            yield return options.AuthMechanism;
        }

        if (options.RefuseRecipient is not null)
        {
            yield return "--refuse-rcpt";
            yield return options.RefuseRecipient;
        }

        if (options.DataReply is not null)
        {
            yield return "--data-reply";
            yield return options.DataReply;
        }
    }

    private static async Task<int> ReadPortAsync(Process process, StringBuilder stderr)
    {
        string? line;
        try
        {
            line = await process.StandardOutput.ReadLineAsync().WaitAsync(s_startTimeout);
        }
        catch (TimeoutException)
        {
            throw new InvalidOperationException(
                $"The SMTP test server did not start within {s_startTimeout.TotalSeconds:0} s. Its stderr:\n{Snapshot(stderr)}");
        }

        if (line is not null && line.StartsWith("PORT ", StringComparison.Ordinal) && int.TryParse(line.AsSpan(5), out var port))
        {
            return port;
        }

        using var timeout = new CancellationTokenSource(s_startTimeout);
        await process.WaitForExitAsync(timeout.Token);
        var hint = process.ExitCode == 3 ? $"aiosmtpd is missing. {InstallHint}. " : "";
        throw new InvalidOperationException(
            $"The SMTP test server did not start (exit code {process.ExitCode}, first line '{line}'). {hint}Its stderr:\n{Snapshot(stderr)}");
    }

    private static string Snapshot(StringBuilder stderr)
    {
        lock (stderr)
        {
            return stderr.ToString();
        }
    }

    private List<JsonElement> ReadJournal(string kind)
    {
        if (!File.Exists(_journal))
        {
            return [];
        }

        using var stream = new FileStream(_journal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var events = new List<JsonElement>();
        while (reader.ReadLine() is { } line)
        {
            using var document = JsonDocument.Parse(line);
            var element = document.RootElement.Clone();
            if (element.GetProperty("event").GetString() == kind)
            {
                events.Add(element);
            }
        }

        return events;
    }
}
