using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>
/// Postfix's <c>smtp-sink</c> on a free loopback port: a second real SMTP server, written in C by Postfix's authors,
/// that offers PIPELINING, 8BITMIME and DSN (aiosmtpd offers no DSN) and dumps every transaction with its envelope:
/// the MAIL FROM and RCPT TO arguments as the client sent them, and the content.
/// </summary>
internal sealed class PostfixSink : IAsyncDisposable
{
    private const string Program = "/usr/sbin/smtp-sink";
    private readonly Process _process;
    private readonly string _directory;
    private readonly string _dump;

    private PostfixSink(Process process, string directory, string dump, int port)
    {
        _process = process;
        _directory = directory;
        _dump = dump;
        Port = port;
    }

    public int Port { get; }

    /// <summary>Starts a sink and waits until it takes connections.</summary>
    /// <exception cref="InvalidOperationException">Postfix is not installed, or the sink did not start.</exception>
    public static async Task<PostfixSink> StartAsync()
    {
        if (!File.Exists(Program))
        {
            throw new InvalidOperationException($"These tests need Postfix's {Program}. Run: bash .ci/setup (apt-get install -y postfix).");
        }

        // The sink drops to `nobody` when started as root, and then writes the dump: a directory anyone may write to.
        var directory = Directory.CreateTempSubdirectory("mailmvc-sink-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, (UnixFileMode)0x1FF);
        }
        var dump = Path.Combine(directory, "dump.txt");
        var port = SmtpTestServer.FindClosedPort();
        var start = new ProcessStartInfo(Program) { UseShellExecute = false, RedirectStandardError = true };
        foreach (var argument in (string[])["-u", "nobody", "-D", dump, $"127.0.0.1:{port}", "64"])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {Program}.");
        var sink = new PostfixSink(process, directory, dump, port);
        for (var attempt = 0; attempt < 100; attempt++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return sink;
            }
            catch (SocketException) when (!process.HasExited)
            {
                await Task.Delay(50);
            }
        }

        var error = process.HasExited ? await process.StandardError.ReadToEndAsync() : "it did not listen within 5 s";
        await sink.DisposeAsync();
        throw new InvalidOperationException($"{Program} did not start on port {port}: {error}");
    }

    /// <summary>Options for a mailer that sends to this sink (it takes no login).</summary>
    public MailOptions CreateMailOptions() => new()
    {
        Server = "127.0.0.1",
        Port = Port,
        DeliveryMethod = MailDeliveryMethod.Smtp,
        SuppressSend = false,
        DefaultSender = "MailMvc Tests <sender@example.com>",
        Timeout = TimeSpan.FromSeconds(5),
    };

    /// <summary>The transactions the sink received, in order: MAIL FROM's arguments, each RCPT TO's, and the content
    /// with LF line ends and dots unstuffed, without the Received header the sink adds.</summary>
    public IReadOnlyList<(string MailArgs, IReadOnlyList<string> RcptArgs, string Content)> Transactions
    {
        get
        {
            var transactions = new List<(string, IReadOnlyList<string>, string)>();
            if (!File.Exists(_dump))
            {
                return transactions;
            }

            var lines = File.ReadAllText(_dump).Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (!lines[i].StartsWith("X-Client-Addr:", StringComparison.Ordinal))
                {
                    continue;
                }

                var mail = "";
                var rcpts = new List<string>();
                for (i++; i < lines.Length && lines[i].StartsWith("X-", StringComparison.Ordinal); i++)
                {
                    if (lines[i].StartsWith("X-Mail-Args: ", StringComparison.Ordinal))
                    {
                        mail = lines[i]["X-Mail-Args: ".Length..];
                    }
                    else if (lines[i].StartsWith("X-Rcpt-Args: ", StringComparison.Ordinal))
                    {
                        rcpts.Add(lines[i]["X-Rcpt-Args: ".Length..]);
                    }
                }

                // The sink's Received header, folded over three lines.
                for (i++; i < lines.Length && lines[i].StartsWith('\t'); i++)
                {
                }

                var content = new List<string>();
                for (; i < lines.Length && !lines[i].StartsWith("X-Client-Addr:", StringComparison.Ordinal); i++)
                {
                    content.Add(lines[i]);
                }

                i--;
                // A blank line ends each transaction in the dump.
                transactions.Add((mail, rcpts, string.Join('\n', content).TrimEnd('\n')));
            }

            return transactions;
        }
    }

    /// <summary>Waits (up to 5 s) until the sink has dumped <paramref name="count"/> transactions, and returns them.</summary>
    public async Task<IReadOnlyList<(string MailArgs, IReadOnlyList<string> RcptArgs, string Content)>> WaitForTransactionsAsync(int count)
    {
        var clock = Stopwatch.StartNew();
        while (Transactions.Count < count && clock.Elapsed < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(20);
        }

        return Transactions;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Directory.Delete(_directory, recursive: true);
    }
}
