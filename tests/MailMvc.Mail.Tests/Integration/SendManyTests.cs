namespace MailMvc.Mail.Tests.Integration;

/// <summary>IMailer.SendManyAsync against a real server: several connections, per-message failures, a dead server.</summary>
public sealed class SendManyTests
{
    [Fact]
    public async Task SendManyAsync_TwentyMessagesOverThreeConnections_ServerReceivesEachOnceOverThreeConnections()
    {
        await using var server = await SmtpTestServer.StartAsync();
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
        await using var server = await SmtpTestServer.StartAsync();
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

    [Fact]
    public async Task SendManyAsync_SlowServer_EachResultReachesTheCallerBeforeTheNextMailIsDone()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(300) });
        var mailer = new Mailer(server.CreateMailOptions());
        var deliveredWhenSeen = new List<int>();

        await foreach (var result in mailer.SendManyAsync(Messages(4)))
        {
            Assert.True(result.IsSent, result.Error?.Message);
            deliveredWhenSeen.Add(server.Messages.Count);
        }

        // Results are grouped only while they come fast: behind a slow server the caller hears of each mail as it
        // goes, not once the group is full.
        Assert.Equal(4, deliveredWhenSeen.Count);
        Assert.True(deliveredWhenSeen[0] < 4, $"The first result came only after {deliveredWhenSeen[0]} deliveries.");
    }

    [Fact]
    public async Task SendManyAsync_SlowServerAndEveryMessageReadyAtOnce_EachResultReachesTheCallerWhileTheNextIsSent()
    {
        // All three messages are queued before the first is sent, so nothing waits for the caller: each result still goes
        // as soon as its mail is done (it took longer than the results' linger), not with the next mail's.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(300) });
        var mailer = new Mailer(server.CreateMailOptions());
        var deliveredWhenSeen = new List<int>();

        await foreach (var result in mailer.SendManyAsync(Messages(3)))
        {
            Assert.True(result.IsSent, result.Error?.Message);
            deliveredWhenSeen.Add(server.Messages.Count);
        }

        Assert.Equal([1, 2, 3], deliveredWhenSeen);
    }

    [Fact]
    public async Task SendManyAsync_CallerKeepsFourInFlightBehindASlowServer_EachResultReachesTheCallerAsItsMailIsDone()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(250) });
        var mailer = new Mailer(server.CreateMailOptions());
        // As a bulk list does: the next message only once an earlier one has its result.
        using var window = new SemaphoreSlim(4);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var seenAt = new List<TimeSpan>();

        await foreach (var result in mailer.SendManyAsync(Windowed(12, window)))
        {
            Assert.True(result.IsSent, result.Error?.Message);
            seenAt.Add(clock.Elapsed);
            window.Release();
        }

        // The caller waits for the first eight results to hand over the last four: none of them is held back until the
        // next mail is done too (the mails take 250 ms each, so results that came together would be milliseconds apart:
        // held in pairs, four of the seven gaps). Two short gaps are allowed, for one stall of a busy machine (CI runs the
        // browser tests beside these: a stall of 850 ms once made three results arrive together).
        Assert.Equal(12, seenAt.Count);
        var awaited = seenAt.Take(8).ToList();
        var gaps = awaited.Zip(awaited.Skip(1), (earlier, later) => later - earlier).ToList();
        Assert.True(gaps.Count(gap => gap < TimeSpan.FromMilliseconds(50)) <= 2,
            $"Results reached the caller together: {string.Join(", ", gaps.Select(gap => $"{gap.TotalMilliseconds:0} ms"))} apart.");
    }

    private static async IAsyncEnumerable<Message> Messages(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return new Message($"Bulk {i}", [$"user{i}@example.com"], body: "Hi");
        }
    }

    private static async IAsyncEnumerable<Message> Windowed(int count, SemaphoreSlim window)
    {
        for (var i = 1; i <= count; i++)
        {
            await window.WaitAsync();
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
