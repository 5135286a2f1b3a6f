using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>
/// Bulk sending over SMTP PIPELINING (RFC 2920), against real servers: Postfix's smtp-sink and aiosmtpd. On one
/// connection each mail's envelope and DATA go in one write, behind the previous mail's content; the servers see the
/// same envelopes and bytes as MailKit's own exchange sends; refusals, a dropped connection and the transcript behave
/// as they do one mail at a time.
/// </summary>
public sealed class PipeliningTests
{
    private static readonly DateTimeOffset s_date = new(2026, 12, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public async Task SendManyAsync_PostfixSinkWithDsn_SinkReceivesTheEnvelopesAndBytesOfMailKitsOwnExchange()
    {
        await using var sink = await PostfixSink.StartAsync();

        var count = await SendOneAtATimeThenPipelinedAsync(new Mailer(sink.CreateMailOptions()));

        var received = (await sink.WaitForTransactionsAsync(2 * count))
            .Select(t => (t.MailArgs, RcptArgs: string.Join(" | ", t.RcptArgs), Content: WithoutBoundaries(t.Content))).ToList();
        Assert.Equal(2 * count, received.Count);
        Assert.Equal(received.Take(count), received.Skip(count));
        // The comparison covers what matters: DSN parameters, 8BITMIME, dot-stuffing, a Bcc recipient.
        Assert.Contains(received, t => t.MailArgs.Contains("ENVID=batch+2B1+3Da RET=HDRS", StringComparison.Ordinal));
        Assert.Contains(received, t => t.RcptArgs.Contains("NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;cy@example.com", StringComparison.Ordinal));
        Assert.Contains(received, t => t.MailArgs.Contains("BODY=8BITMIME", StringComparison.Ordinal));
        Assert.Contains(received, t => t.Content.Contains("\n.leading dot\n..two dots\n", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendManyAsync_ServerOffersSize_EveryMailGoesWithTheSizeAndBytesOfMailKitsOwnExchange()
    {
        await using var server = await SmtpTestServer.StartAsync();

        var count = await SendOneAtATimeThenPipelinedAsync(new Mailer(server.CreateMailOptions()));

        var received = server.Messages.Select(m => (string.Join(" ", m.MailOptions), string.Join(" ", m.RcptTos), WithoutBoundaries(m.Data))).ToList();
        Assert.Equal(received.Take(count), received.Skip(count));
        Assert.All(received, r => Assert.Contains("SIZE=", r.Item1, StringComparison.Ordinal));
        Assert.All(server.Messages.Skip(count), m => Assert.True(m.EnvelopePipelined));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SendManyAsync_SixMailsOnOneConnection_EnvelopesRideWithThePreviousContentWhenTheServerPipelines(bool pipelining)
    {
        // Each mail takes the server 100 ms, so the mails after the first are all waiting when the connection is free.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Pipelining = pipelining, Delay = TimeSpan.FromMilliseconds(100) });
        var mailer = new Mailer(server.CreateMailOptions());

        var results = await mailer.SendManyAsync(Numbered(6).ToAsyncEnumerable()).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(1, server.ConnectionCount);
        var received = server.Messages;
        Assert.Equal(Enumerable.Range(1, 6).Select(i => $"Mail {i}"), received.Select(m => m.Parse().Subject));
        if (pipelining)
        {
            Assert.All(received, m => Assert.True(m.EnvelopePipelined, "MAIL FROM came without its DATA"));
            // At least the four mails between the first taken alone and the last came with the next one's envelope.
            Assert.True(received.Count(m => m.NextPipelined) >= 4, $"{received.Count(m => m.NextPipelined)} mails came with the next envelope");
        }
        else
        {
            Assert.All(received, m => Assert.False(m.EnvelopePipelined || m.NextPipelined));
        }
    }

    [Fact]
    public async Task SendManyAsync_OneOfTwoRecipientsRefusedMidRun_MailGoesToNobodyAndTheRestArriveOnANewConnection()
    {
        await using var server = await StartRefusingGoneAsync();
        var mailer = new Mailer(server.CreateMailOptions());
        var messages = Numbered(4);
        messages[1].Recipients.Add("gone@example.com");

        var results = await mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();

        var error = Assert.IsType<MailRecipientRefusedException>(results[1].Error);
        Assert.Equal("gone@example.com", error.Recipient);
        Assert.All(results.Where((_, i) => i != 1), r => Assert.True(r.IsSent, r.Error?.Message));
        // The server had taken user2 and answered DATA with 354: the connection was dropped instead of sending the
        // content, so user2 got nothing, as when MailKit refuses the whole mail.
        Assert.Equal(["Mail 1", "Mail 3", "Mail 4"], server.Messages.Select(m => m.Parse().Subject));
        Assert.Equal(2, server.ConnectionCount);
    }

    [Fact]
    public async Task SendManyAsync_OnlyRecipientRefusedMidRun_RestArriveOnTheSameConnection()
    {
        await using var server = await StartRefusingGoneAsync();
        var mailer = new Mailer(server.CreateMailOptions());
        var messages = Numbered(4);
        messages[1].Recipients.Clear();
        messages[1].Recipients.Add("gone@example.com");

        var results = await mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();

        Assert.Equal("gone@example.com", Assert.IsType<MailRecipientRefusedException>(results[1].Error).Recipient);
        Assert.Equal(["Mail 1", "Mail 3", "Mail 4"], server.Messages.Select(m => m.Parse().Subject));
        // DATA was refused (no recipient): RSET, and the connection went on.
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task SendManyAsync_ServerRefusesTwoMailsAfterTheirContent_LaterMailsArriveOnTheSameConnection()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { TempFailFirst = 2, Delay = TimeSpan.FromMilliseconds(100) });
        var mailer = new Mailer(server.CreateMailOptions());

        var results = await mailer.SendManyAsync(Numbered(5).ToAsyncEnumerable()).ToListAsync();

        Assert.All(results.Take(2), r => Assert.IsType<MailTemporaryFailureException>(r.Error));
        Assert.All(results.Skip(2), r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(["Mail 3", "Mail 4", "Mail 5"], server.Messages.Select(m => m.Parse().Subject));
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task SendManyAsync_ServerHangsUpAfterTwoMailsContent_TheyFailAndTheMailsBehindThemArriveOnceOnNewConnections()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { DropFirst = 2, Delay = TimeSpan.FromMilliseconds(100) });
        var mailer = new Mailer(server.CreateMailOptions());
        var messages = Numbered(5);

        var results = await mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();

        // The two dropped mails may or may not have been delivered: they are reported failed, as one at a time. The
        // envelopes that went out behind their content had no content yet, so those mails were sent again, once.
        Assert.All(results.Take(2), r => Assert.IsType<MailDeliveryException>(r.Error));
        Assert.All(results.Skip(2), r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(messages.Take(2).Select(m => m.MessageId), server.DroppedMessageIds);
        Assert.Equal(messages.Skip(2).Select(m => m.MessageId), server.Messages.Select(m => m.MessageId));
        Assert.Equal(3, server.ConnectionCount);
    }


    [Theory]
    [InlineData("idle timer")]
    [InlineData("hang-up at MAIL FROM")]
    [InlineData("421 at MAIL FROM")]
    [InlineData("hang-up at MAIL FROM, no PIPELINING")]
    public async Task SendManyAsync_ServerClosedTheConnectionWhileTheRunWaitedForMails_NextMailsGoThroughOnANewOneInOrder(string how)
    {
        // The server's idle timer closed the connection while the run waited (2 s), or it fires as the next MAIL FROM
        // arrives: no reply and the connection gone, or 421 with the connection left open. The mail never reached a
        // transaction, so it goes on a new connection, and the mails behind it after it.
        await using var server = await SmtpTestServer.StartAsync(how switch
        {
            "idle timer" => new SmtpTestServerOptions { IdleTimeout = TimeSpan.FromSeconds(2) },
            "hang-up at MAIL FROM" => new SmtpTestServerOptions { HangUpReused = 1 },
            // MailKit's own exchange, one mail at a time (as over TLS).
            "hang-up at MAIL FROM, no PIPELINING" => new SmtpTestServerOptions { HangUpReused = 1, Pipelining = false },
            _ => new SmtpTestServerOptions { HangUpReused = 1, HangUpWith421 = true },
        });
        var options = server.CreateMailOptions();
        options.Debug = true;
        var mailer = new Mailer(options);

        var results = await mailer.SendManyAsync(WithPauseAfterFirstAsync(Numbered(4), TimeSpan.FromSeconds(how == "idle timer" ? 3 : 0.3)))
            .ToListAsync();

        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(["Mail 1", "Mail 2", "Mail 3", "Mail 4"], server.Messages.Select(m => m.Parse().Subject));
        Assert.Equal(2, server.ConnectionCount);
        Assert.Equal(how == "idle timer" ? 0 : 1, server.HungUpCount);
        // The resent mail's transcript is its exchange on the new connection: one MAIL FROM, no greeting.
        var transcript = results[1].Receipt!.Transcript!;
        Assert.Single(Lines(transcript, "C: MAIL FROM:"));
        Assert.Empty(Lines(transcript, "C: EHLO"));
    }

    [Fact]
    public async Task SendManyAsync_RateLimitedAndTheServerHangsUpAtTheNextMailFrom_TheMailGoesThroughOnANewConnection()
    {
        // A rate-limited connection sends one mail at a time; a mail that waited for its slot goes with MailKit's
        // asynchronous exchange: the same retry.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { HangUpReused = 1 });
        var options = server.CreateMailOptions();
        options.RateLimit.PerSecond = 20;
        var mailer = new Mailer(options);

        var results = await mailer.SendManyAsync(Numbered(3).ToAsyncEnumerable()).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(["Mail 1", "Mail 2", "Mail 3"], server.Messages.Select(m => m.Parse().Subject));
        Assert.Equal(2, server.ConnectionCount);
        Assert.Equal(1, server.HungUpCount);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendManyAsync_AttachmentStreamFailsMidRun_OnlyThatMailFailsAndTheConnectionGoesOn(bool timesOut)
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(100) });
        var mailer = new Mailer(server.CreateMailOptions());
        var messages = Numbered(4);
        // A read that fails, or one that times out as an HTTP stream's does (a cancellation that is not the caller's).
        messages[2].Attach("report.csv", "text/csv", new FailingStream(timesOut));

        var results = await mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();

        // The attachment is read as its mail is prepared on the connection's thread, while the mail before it is on the
        // wire: that mail is delivered, this one fails alone (as a transport failure, the read error inside), and the
        // connection is not dropped for it.
        var error = Assert.IsType<MailDeliveryException>(Assert.Single(results, r => r.Message == messages[2]).Error);
        Assert.IsType(timesOut ? typeof(TaskCanceledException) : typeof(IOException), error.InnerException);
        Assert.All(results.Where(r => r.Message != messages[2]), r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(["Mail 1", "Mail 2", "Mail 4"], server.Messages.Select(m => m.Parse().Subject));
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task SendManyAsync_ServerSlowerThanTheTimeout_EachPipelinedMailFailsWithATimeoutSoonAfterIt()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromSeconds(3) });
        var options = server.CreateMailOptions();
        options.Timeout = TimeSpan.FromSeconds(1);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var results = await new Mailer(options).SendManyAsync(Numbered(2).ToAsyncEnumerable()).ToListAsync();

        // The exchange reads the socket MailKit set the timeout on: each mail's wait for its reply ends after about 1 s
        // (the second, whose envelope went behind the first's content, goes again on a new connection).
        Assert.All(results, r => Assert.IsType<MailTimeoutException>(r.Error));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8));
    }

    [Fact]
    public async Task SendManyAsync_DebugOnAndMailsPipelined_EachReceiptHasItsOwnMailsExchange()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(100) });
        var options = server.CreateMailOptions();
        options.Debug = true;
        var mailer = new Mailer(options);

        var results = await mailer.SendManyAsync(Numbered(4).ToAsyncEnumerable()).ToListAsync();

        Assert.True(server.Messages.Count(m => m.NextPipelined) >= 2);
        for (var i = 0; i < results.Count; i++)
        {
            var transcript = results[i].Receipt!.Transcript!;
            Assert.Single(Lines(transcript, "C: MAIL FROM:"));
            Assert.Equal($"C: RCPT TO:<user{i + 1}@example.com>", Assert.Single(Lines(transcript, "C: RCPT TO:")));
            Assert.Single(Lines(transcript, "S: 354"));
            Assert.Single(Lines(transcript, "C: <message content, "));
            Assert.Equal("S: 250 2.0.0 OK: queued", transcript.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]);
        }
    }

    /// <summary>Sends <see cref="Varied"/> with <c>SendAsync</c>, off a send thread (MailKit's own exchange, a command
    /// group at a time), then again with <c>SendManyAsync</c> on one connection (pipelined).</summary>
    /// <returns>How many mails each way.</returns>
    private static async Task<int> SendOneAtATimeThenPipelinedAsync(Mailer mailer)
    {
        foreach (var message in Varied())
        {
            await mailer.SendAsync(message);
        }

        var results = await mailer.SendManyAsync(Varied().ToAsyncEnumerable()).ToListAsync();
        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        return results.Count;
    }

    /// <summary>The content with each MIME boundary (random, MimeKit's) replaced by its number.</summary>
    private static string WithoutBoundaries(string content)
    {
        var boundaries = System.Text.RegularExpressions.Regex.Matches(content, "boundary=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        Assert.True(boundaries.Count > 0 || !content.Contains("multipart/", StringComparison.Ordinal), "A multipart body without a boundary parameter.");
        for (var i = 0; i < boundaries.Count; i++)
        {
            content = content.Replace(boundaries[i], $"boundary-{i + 1}", StringComparison.Ordinal);
        }

        return content;
    }

    [Fact]
    public async Task SendPipelined_MiddleMessageCannotBeSent_OutcomesComeInOrderEachWithItsOwnTranscript()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var options = server.CreateMailOptions();
        options.Debug = true;
        await using var transport = new SmtpMailTransport(options);
        var sender = MailboxAddress.Parse("sender@example.com");
        var messages = Numbered(3).Select((m, i) => new OutgoingMessage(m.ToMimeMessage(options),
            new Envelope(sender, [MailboxAddress.Parse($"user{i + 1}@example.com")]) { MailParameters = i == 1 ? ["FOO=1"] : [] })).ToList();
        var outcomes = new List<(int Index, TransportReceipt? Receipt, Exception? Error)>();
        var finished = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        SendThread.Start("MailMvc test send", () =>
        {
            try
            {
                var session = (IPipelinedSession)SendThread.Wait(transport.OpenAsync(CancellationToken.None));
                var done = session.SendPipelined(messages, (index, receipt, error) => outcomes.Add((index, receipt, error)), CancellationToken.None);
                SendThread.Wait(session.DisposeAsync());
                finished.SetResult(done);
            }
            catch (Exception e)
            {
                finished.SetException(e);
            }
        });

        // The second message's parameter cannot be sent: it fails without a byte on the wire, and its outcome comes
        // after the first message's (whose content was on its way when the second was prepared), not before it.
        Assert.Equal(3, await finished.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal([0, 1, 2], outcomes.Select(o => o.Index));
        Assert.IsType<ArgumentException>(outcomes[1].Error);
        Assert.Equal(["Mail 1", "Mail 3"], server.Messages.Select(m => m.Parse().Subject));
        foreach (var (index, receipt, _) in new[] { outcomes[0], outcomes[2] })
        {
            Assert.Equal($"C: RCPT TO:<user{index + 1}@example.com>", Assert.Single(Lines(receipt!.Transcript!, "C: RCPT TO:")));
            Assert.Single(Lines(receipt.Transcript!, "C: <message content, "));
        }
    }

    /// <summary>An attachment's stream (seekable, as MimeKit wants) whose storage fails, or times out, when it is read.</summary>
    private sealed class FailingStream(bool timesOut) : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => true;
        public override bool CanWrite => false;
        public override long Length => 1024;
        public override long Position { get; set; }
        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => timesOut
            ? throw new TaskCanceledException("The request for report.csv timed out.")
            : throw new IOException("The share holding report.csv is gone.");
        public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => Position + offset,
            _ => Length + offset,
        };
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static IEnumerable<string> Lines(string transcript, string prefix) =>
        transcript.Split('\n').Where(line => line.StartsWith(prefix, StringComparison.Ordinal));

    /// <summary>A server that refuses gone@example.com and takes 100 ms a mail, so the mails after the first go pipelined.</summary>
    private static Task<SmtpTestServer> StartRefusingGoneAsync() =>
        SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "gone@example.com", Delay = TimeSpan.FromMilliseconds(100) });

    /// <summary>The messages, with a pause after the first: the run sends it alone, and the connection waits.</summary>
    private static async IAsyncEnumerable<Message> WithPauseAfterFirstAsync(List<Message> messages, TimeSpan pause)
    {
        yield return messages[0];
        await Task.Delay(pause);
        foreach (var message in messages.Skip(1))
        {
            yield return message;
        }
    }

    private static List<Message> Numbered(int count) =>
        Enumerable.Range(1, count).Select(i => new Message($"Mail {i}", [$"user{i}@example.com"], body: $"Hello {i}")).ToList();

    /// <summary>Mails whose bytes do not depend on when they are made, with what the exchange writes itself: DSN
    /// parameters (xtext-encoded), Bcc, lines that start with a dot, 8-bit text, a line too long for SMTP, an attachment,
    /// a mail larger than the exchange's write buffer.</summary>
    private static List<Message> Varied()
    {
        var plain = new Message("Plain", ["ada@example.com", "bob@example.com"], body: "Hello\n.leading dot\n..two dots\n.",
            bcc: ["cy@example.com"], date: s_date, mailOptions: ["RET=HDRS", "ENVID=batch+1=a"], rcptOptions: ["NOTIFY=SUCCESS,FAILURE"])
        { MessageId = "pipelined-1@example.com" };
        var eightBit = new Message("Grüße aus Köln ☕", ["Zoë Ünal <zoe@example.com>"], body: "Grüße, Zoë!\nÇa va ?", date: s_date,
            html: "<p>Grüße, <b>Zoë</b></p>")
        { MessageId = "pipelined-2@example.com" };
        eightBit.Attach("menu.txt", "text/plain", "Croissant 2 €\n"u8.ToArray());
        var longLine = new Message("Long line", ["dan@example.com"], body: "x" + new string('y', 1500) + "\n.", date: s_date,
            mailOptions: ["RET=FULL"], rcptOptions: ["NOTIFY=NEVER"])
        { MessageId = "pipelined-3@example.com" };
        // Bigger than the exchange's 64 KB write buffer, with a dot to stuff at the start of every line.
        var big = new Message("Big", ["eve@example.com"], date: s_date,
            body: string.Join("\n", Enumerable.Range(1, 4000).Select(i => $".{i} a line that starts with a dot")))
        { MessageId = "pipelined-4@example.com" };
        return [plain, eightBit, longLine, big];
    }
}
