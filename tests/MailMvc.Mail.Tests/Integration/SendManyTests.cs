namespace MailMvc.Mail.Tests.Integration;

/// <summary>IMailer.SendManyAsync against a real server: several connections, per-message failures, a dead server.</summary>
public sealed class SendManyTests
{
    [Fact]
    public async Task SendManyAsync_TwentyMessagesOverThreeConnections_ServerReceivesEachOnceOverThreeConnections()
    {
        // Each answer takes a while, so the list outlasts the connections' opening by far (about 0.7 s on three
        // connections): without it, on a loaded machine one connection could send all twenty before the third had
        // opened, and a run opens none it has no mail for.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(100) });
        var mailer = new Mailer(server.CreateMailOptions());

        var results = await mailer.SendManyAsync(Messages(20), connections: 3).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(20, results.Count);
        Assert.Equal(3, server.ConnectionCount);
        Assert.Equal(
            Enumerable.Range(1, 20).Select(i => $"user{i}@example.com").Order(),
            server.Messages.SelectMany(m => m.RcptTos).Order());
    }

    [Fact]
    public async Task SendManyAsync_MaxEmailsTwoAndOneConnection_ReconnectsEveryTwoMessages()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var options = server.CreateMailOptions();
        options.MaxEmails = 2;
        var mailer = new Mailer(options);

        var results = await mailer.SendManyAsync(Messages(5)).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent));
        Assert.Equal(3, server.ConnectionCount);
    }

    [Fact]
    public async Task SendManyAsync_OneRecipientRefused_OthersStillDelivered()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "user3@example.com" });
        var mailer = new Mailer(server.CreateMailOptions());

        var results = await mailer.SendManyAsync(Messages(6), connections: 2).ToListAsync();

        var refused = Assert.Single(results, r => !r.IsSent);
        var error = Assert.IsType<MailRecipientRefusedException>(refused.Error);
        Assert.Equal("user3@example.com", error.Recipient);
        Assert.Equal(5, server.Messages.Count);
    }

    [Fact]
    public async Task SendManyAsync_InvalidMessageAmongValid_ReportsItAndSendsTheRest()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var mailer = new Mailer(server.CreateMailOptions());
        var messages = Messages(3).Append(new Message("No recipient", body: "Hi"));

        var results = await mailer.SendManyAsync(messages).ToListAsync();

        var failed = Assert.Single(results, r => !r.IsSent);
        Assert.IsType<ArgumentException>(failed.Error);
        Assert.Equal(3, server.Messages.Count);
    }

    [Fact]
    public async Task SendManyAsync_NoServerListening_EveryMessageFailsWithTheConnectionError()
    {
        var options = new MailOptions { Server = "127.0.0.1", Port = SmtpTestServer.FindClosedPort(), DefaultSender = "sender@example.com", Timeout = TimeSpan.FromSeconds(5) };
        var mailer = new Mailer(options);

        var results = await mailer.SendManyAsync(Messages(10), connections: 2).ToListAsync();

        Assert.Equal(10, results.Count);
        Assert.All(results, r => Assert.IsType<MailServerUnreachableException>(r.Error));
    }

    [Fact]
    public async Task SendManyAsync_CallerStopsEarly_StopsWithoutReadingTheWholeSequence()
    {
        // 100 ms a mail: no connection's pipelined run (16 mails) ends between the first result and the caller's break,
        // so what was read is the queues' fill (about 65 with two connections), not that plus however many runs a slow
        // machine let finish meanwhile (16 more each).
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(100) });
        var mailer = new Mailer(server.CreateMailOptions());
        var produced = 0;

        await foreach (var result in mailer.SendManyAsync(Counting(Messages(10_000), () => produced++), connections: 2))
        {
            Assert.True(result.IsSent);
            break;
        }

        // The queue between the sequence and the connections is bounded: stopping early reads little of it.
        Assert.InRange(produced, 1, 100);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SendManyAsync_TlsAndLogin_EveryMessageDeliveredOverTheSecuredConnections(bool implicitTls)
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions
        {
            StartTls = !implicitTls,
            RequireStartTls = !implicitTls,
            ImplicitTls = implicitTls,
            AuthUser = "bulk",
            AuthPassword = "s3cret",
        });
        var options = server.CreateMailOptions();
        options.UseTls = !implicitTls;
        options.UseSsl = implicitTls;
        options.Username = "bulk";
        options.Password = "s3cret";

        var results = await new Mailer(options).SendManyAsync(Messages(12), connections: 2).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(12, server.Messages.Count);
        Assert.Equal(2, server.SuccessfulLogins.Count);
    }

    [Fact]
    public async Task SendManyAsync_ServerNeverGreets_EveryMessageFailsWithATimeoutSoonAfterTheTimeout()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Silent = true });
        var options = server.CreateMailOptions();
        options.Timeout = TimeSpan.FromSeconds(1);
        var clock = System.Diagnostics.Stopwatch.StartNew();

        var results = await new Mailer(options).SendManyAsync(Messages(5)).ToListAsync();

        Assert.All(results, r => Assert.IsType<MailTimeoutException>(r.Error));
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(10));
    }

    private static async IAsyncEnumerable<Message> Messages(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return new Message($"Bulk {i}", [$"user{i}@example.com"], body: "Hi");
        }
    }

    private static async IAsyncEnumerable<Message> Counting(IAsyncEnumerable<Message> messages, Action onEach)
    {
        await foreach (var message in messages)
        {
            onEach();
            yield return message;
        }
    }
}
