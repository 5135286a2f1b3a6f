using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>
/// A real SMTP server (aiosmtpd, <c>smtp_server.py</c>) on a free loopback port, one per test. It writes every
/// connection, AUTH and accepted message to a journal file before it replies, so once a send has returned the
/// journal already holds what the server saw. <see cref="StopAsync"/> and <see cref="RestartAsync"/> take it down
/// and bring it back on the same port with the same journal. Dispose it to stop the server.
/// </summary>
internal sealed class SmtpTestServer : IAsyncDisposable
{
    private const string Python = "/usr/bin/python3";
    private const string InstallHint = "Run: apt-get install -y python3-aiosmtpd";
    private static readonly TimeSpan s_startTimeout = TimeSpan.FromSeconds(10);

    private readonly SmtpTestServerOptions _options;
    private readonly string _directory;
    private readonly string _journal;
    private Process? _process;

    private SmtpTestServer(SmtpTestServerOptions options, string directory, string journal)
    {
        _options = options;
        _directory = directory;
        _journal = journal;
    }

    /// <summary>The loopback port the server listens on (and listens on again after a restart).</summary>
    public int Port { get; private set; }

    /// <summary>The messages the server accepted, in order, across restarts.</summary>
    public IReadOnlyList<ReceivedMessage> Messages => ReadJournal("message").Select(e => new ReceivedMessage(
        e.GetProperty("mail_from").GetString()!,
        e.GetProperty("rcpt_tos").EnumerateArray().Select(r => r.GetString()!).ToList(),
        e.GetProperty("data").GetString()!,
        e.GetProperty("tls").GetBoolean(),
        e.GetProperty("authenticated").GetBoolean())
    {
        MessageId = MessageIdOf(e),
        ClientName = e.TryGetProperty("helo", out var helo) ? helo.GetString() : null,
        MailOptions = e.TryGetProperty("mail_options", out var mailOptions) ? mailOptions.EnumerateArray().Select(o => o.GetString()!).ToList() : [],
        ReceivedAt = DateTimeOffset.FromUnixTimeMilliseconds((long)(e.GetProperty("at").GetDouble() * 1000)),
        EnvelopePipelined = e.GetProperty("envelope_pipelined").GetBoolean(),
        NextPipelined = e.GetProperty("next_pipelined").GetBoolean(),
    }).ToList();

    /// <summary>The Message-IDs (without angle brackets) of the messages answered with 451
    /// (<see cref="SmtpTestServerOptions.TempFailFirst"/>), in order.</summary>
    public IReadOnlyList<string?> TempFailedMessageIds => ReadJournal("tempfail").Select(MessageIdOf).ToList();

    /// <summary>The Message-IDs (without angle brackets) of the messages whose connection was closed after their
    /// content arrived (<see cref="SmtpTestServerOptions.DropFirst"/>), in order.</summary>
    public IReadOnlyList<string?> DroppedMessageIds => ReadJournal("dropped").Select(MessageIdOf).ToList();

    /// <summary>When each QUIT arrived, in order.</summary>
    public IReadOnlyList<DateTimeOffset> Quits => ReadJournal("quit").Select(AtOf).ToList();

    /// <summary>How many reused connections the server closed at their next MAIL FROM
    /// (<see cref="SmtpTestServerOptions.HangUpReused"/>).</summary>
    public int HungUpCount => ReadJournal("hung_up").Count;

    /// <summary>How many TCP connections the server accepted.</summary>
    public int ConnectionCount => ReadJournal("connect").Count;

    /// <summary>The AUTH mechanisms of the successful logins, in order.</summary>
    public IReadOnlyList<string> SuccessfulLogins => ReadJournal("auth")
        .Where(e => e.GetProperty("success").GetBoolean())
        .Select(e => e.GetProperty("mechanism").GetString()!)
        .ToList();

    /// <summary>The OAuth2 logins (XOAUTH2, OAUTHBEARER), in order: the mechanism, the token sent, and whether it was accepted.</summary>
    public IReadOnlyList<(string Mechanism, string? Token, bool Success)> OAuthLogins => ReadJournal("auth")
        .Where(e => e.TryGetProperty("token", out _))
        .Select(e => (e.GetProperty("mechanism").GetString()!, e.GetProperty("token").GetString(), e.GetProperty("success").GetBoolean()))
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
        var server = new SmtpTestServer(options, directory, Path.Combine(directory, "journal.jsonl"));
        try
        {
            server.Port = await server.LaunchAsync(options.Port);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the server as a crash would (open connections are cut); the journal and the port are kept for
    /// <see cref="RestartAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            await KillAsync(process);
        }
    }

    /// <summary>Starts the stopped server again, with the same options, on the same port, appending to the same
    /// journal. Its fault counters (<see cref="SmtpTestServerOptions.TempFailFirst"/>, ...) start again from zero.</summary>
    /// <exception cref="InvalidOperationException">The server is running, or did not start.</exception>
    public async Task RestartAsync()
    {
        if (_process is not null)
        {
            throw new InvalidOperationException("The SMTP test server is running; call StopAsync first.");
        }

        await LaunchAsync(Port);
    }

    /// <summary>A loopback port nothing listens on (bound once and released), for "server not there" tests.</summary>
    public static int FindClosedPort()
    {
        using var listener = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.InterNetwork, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        listener.Bind(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 0));
        return ((System.Net.IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>Options for a mailer that talks to this server and trusts only the test certificate.</summary>
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
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }

    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }

        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                // Leave it; the server also exits when its stdin closes with this process.
            }
        }

        process.Dispose();
    }

    /// <summary>Starts the Python server and waits until it listens.</summary>
    /// <returns>The port it listens on.</returns>
    private async Task<int> LaunchAsync(int? port)
    {
        var start = new ProcessStartInfo(Python)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in Arguments(_options, _directory, _journal, port))
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
            throw new InvalidOperationException($"Could not start {Python}: {e.Message}. {InstallHint}", e);
        }

        process.BeginErrorReadLine();
        _process = process;
        return await ReadPortAsync(process, stderr);
    }

    private static IEnumerable<string> Arguments(SmtpTestServerOptions options, string directory, string journal, int? port)
    {
        yield return Path.Combine(AppContext.BaseDirectory, "Integration", "smtp_server.py");
        yield return "--journal";
        yield return journal;
        if (port is { } fixedPort)
        {
            yield return "--port";
            yield return fixedPort.ToString(CultureInfo.InvariantCulture);
        }

        if (options.Silent)
        {
            yield return "--silent";
        }

        if (!options.Pipelining)
        {
            yield return "--no-pipelining";
        }

        if (options.StartTls || options.ImplicitTls)
        {
            var (certificate, key) = TestCertificate.WritePemFiles(directory);
            yield return "--tls-cert";
            yield return certificate;
            yield return "--tls-key";
            yield return key;
            if (options.RequireStartTls)
            {
                yield return "--require-starttls";
            }

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

        if (options.OAuthUser is not null)
        {
            yield return "--oauth-user";
            yield return options.OAuthUser;
            foreach (var token in options.OAuthTokens)
            {
                yield return "--oauth-token";
                yield return token;
            }
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

        if (options.TempFailFirst > 0)
        {
            yield return "--tempfail-first";
            yield return options.TempFailFirst.ToString(CultureInfo.InvariantCulture);
        }

        if (options.DropFirst > 0)
        {
            yield return "--drop-first";
            yield return options.DropFirst.ToString(CultureInfo.InvariantCulture);
        }

        if (options.Delay is { } delay)
        {
            yield return "--delay-ms";
            yield return ((int)delay.TotalMilliseconds).ToString(CultureInfo.InvariantCulture);
        }

        if (options.IdleTimeout is { } idle)
        {
            yield return "--idle-timeout";
            yield return idle.TotalSeconds.ToString(CultureInfo.InvariantCulture);
        }

        if (options.HangUpReused > 0)
        {
            yield return "--hang-up-reused";
            yield return options.HangUpReused.ToString(CultureInfo.InvariantCulture);
        }

        if (options.HangUpWith421)
        {
            yield return "--hang-up-421";
        }
    }

    private static DateTimeOffset AtOf(JsonElement journalEvent) =>
        DateTimeOffset.FromUnixTimeMilliseconds((long)(journalEvent.GetProperty("at").GetDouble() * 1000));

    private static string? MessageIdOf(JsonElement journalEvent) =>
        journalEvent.TryGetProperty("message_id", out var id) ? id.GetString()?.Trim('<', '>') : null;

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
        // Every event ends with a line break: what follows the last one is an event the server is still writing.
        var lines = reader.ReadToEnd().Split('\n');
        foreach (var line in lines.AsSpan(0, lines.Length - 1))
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
