using System.Diagnostics;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Integration;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>
/// The outbox end to end: a started host queues mail and its background workers deliver it to the real SMTP test
/// server, through faults (451, 550, dropped connections, a server that is down, a crashed instance's claims).
/// Every test runs once per database: <see cref="SqliteOutboxDeliveryTests"/> and <see cref="PostgresOutboxDeliveryTests"/>.
/// </summary>
public abstract class OutboxDeliveryTests
{
    private readonly OutboxDatabase _database;

    protected OutboxDeliveryTests(OutboxDatabase database) => _database = database;

    [Fact]
    public async Task SendAsync_OutboxEnabled_ReturnsBeforeDeliveryThenServerReceivesItOnce()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(500) });
        await using var host = await StartHostAsync(server.Port);
        var dispatched = new List<MessageDispatchedEventArgs>();
        host.Mailer.Dispatched += (_, e) => dispatched.Add(e);
        var message = Mail(1);

        var receipt = await host.Mailer.SendAsync(message);
        var receivedOnReturn = server.Messages.Count;
        var countsOnReturn = await host.Outbox.GetCountsAsync();
        var settled = await host.WaitUntilSettledAsync(1);

        Assert.Equal(0, receivedOnReturn);
        Assert.Equal((MailDisposition.Queued, message.MessageId), (receipt.Disposition, receipt.MessageId));
        Assert.Equal(message.MessageId, (await host.Outbox.GetAsync(long.Parse(receipt.QueueId!, System.Globalization.CultureInfo.InvariantCulture)))?.MessageId);
        Assert.Equal((1L, 0L), (countsOnReturn.Depth, countsOnReturn.Sent));
        Assert.Equal((1L, 0L), (settled.Sent, settled.Failed));
        Assert.Equal(message.MessageId, Assert.Single(server.Messages).MessageId);
        var e = Assert.Single(dispatched);
        Assert.True(e.Queued);
        Assert.Same(message, e.Message);
    }

    [Fact]
    public async Task Delivery_FirstThreeOfTenGet451_AllDeliveredOnceAndTheThreeRetriedOnce()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { TempFailFirst = 3 });
        await using var host = await StartHostAsync(server.Port);
        var messages = Mails(10);

        await SendEachAsync(host, messages);
        var counts = await host.WaitUntilSettledAsync(10);

        Assert.Equal((10L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        var deferred = server.TempFailedMessageIds;
        Assert.Equal(3, deferred.Distinct().Count());
        foreach (var entry in await host.ListAllAsync())
        {
            var attempts = await host.Outbox.GetAttemptsAsync(entry.Id);
            if (deferred.Contains(entry.MessageId))
            {
                Assert.Collection(attempts,
                    a =>
                    {
                        Assert.Equal("retry", a.Outcome);
                        Assert.StartsWith("451", a.Reply, StringComparison.Ordinal);
                        Assert.Contains("Try again later", a.Reply, StringComparison.Ordinal);
                    },
                    a => Assert.Equal("sent", a.Outcome));
            }
            else
            {
                Assert.Equal("sent", Assert.Single(attempts).Outcome);
            }
        }
    }

    [Fact]
    public async Task Delivery_RecipientRefusedWith550_ThatMailFailsAfterOneAttemptOthersDeliveredOnce()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "nobody@example.com" });
        await using var host = await StartHostAsync(server.Port);
        var accepted = Mails(4);
        var refused = new Message("Refused", ["nobody@example.com"], body: "Hi");

        await SendEachAsync(host, [.. accepted, refused]);
        var counts = await host.WaitUntilSettledAsync(5);

        Assert.Equal((4L, 1L), (counts.Sent, counts.Failed));
        var failed = Assert.Single(await host.Outbox.ListAsync(OutboxStatus.Failed, 10));
        Assert.Equal(refused.MessageId, failed.MessageId);
        Assert.Contains("550", failed.LastReply, StringComparison.Ordinal);
        var attempt = Assert.Single(await host.Outbox.GetAttemptsAsync(failed.Id));
        Assert.Equal("failed", attempt.Outcome);
        Assert.Equal(1, failed.Attempts);
        AssertEachReceivedOnce(server, accepted);
    }

    [Fact]
    public async Task Delivery_ConnectionDroppedAfterData_RetriedUntilEveryMailIsAccepted()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { DropFirst = 2 });
        await using var host = await StartHostAsync(server.Port);
        var messages = Mails(5);

        await SendEachAsync(host, messages);
        var counts = await host.WaitUntilSettledAsync(5);

        Assert.Equal((5L, 0L), (counts.Sent, counts.Failed));
        var dropped = server.DroppedMessageIds;
        Assert.Equal(2, dropped.Count);
        // Per SMTP the client cannot know whether a mail whose reply never came was delivered, so it may arrive twice;
        // only those may, and each was finally accepted once.
        AssertEachReceivedOnce(server, messages);
        var duplicates = server.Messages.Select(m => m.MessageId).Concat(dropped)
            .GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.All(duplicates, id => Assert.Contains(id, dropped));
        foreach (var entry in (await host.ListAllAsync()).Where(e => dropped.Contains(e.MessageId)))
        {
            var attempts = await host.Outbox.GetAttemptsAsync(entry.Id);
            Assert.True(attempts.Count >= 2, $"{entry.MessageId} has {attempts.Count} attempt(s)");
            Assert.Equal("retry", attempts[0].Outcome);
            Assert.Contains("was lost", attempts[0].Reply, StringComparison.Ordinal);
            Assert.Equal("sent", attempts[^1].Outcome);
        }
    }

    [Fact]
    public async Task Delivery_ServerDownForASecond_EveryMailDeliveredOnceAfterUnreachableAttempts()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var host = await StartHostAsync(server.Port);
        var before = Mail(0);
        await host.Mailer.SendAsync(before);
        await host.WaitUntilSettledAsync(1);
        var messages = Mails(5);

        await server.StopAsync();
        await SendEachAsync(host, messages);
        await Task.Delay(TimeSpan.FromSeconds(1));
        await server.RestartAsync();
        var counts = await host.WaitUntilSettledAsync(6);

        Assert.Equal((6L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, [before, .. messages]);
        foreach (var entry in (await host.ListAllAsync()).Where(e => e.MessageId != before.MessageId))
        {
            var attempts = await host.Outbox.GetAttemptsAsync(entry.Id);
            Assert.True(attempts.Count > 1, $"{entry.MessageId} has {attempts.Count} attempt(s)");
            Assert.All(attempts.SkipLast(1), a => Assert.Equal("retry", a.Outcome));
            Assert.Contains(attempts, a => a.Reply?.Contains("Could not connect", StringComparison.Ordinal) == true);
            Assert.Equal("sent", attempts[^1].Outcome);
        }
    }

    [Fact]
    public async Task Delivery_ServerDownWhileFiftyMailsWait_OneWarningWhenItStartsAndOneLineWhenItEnds()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var host = await StartHostAsync(server.Port);
        var messages = Mails(50);

        await server.StopAsync();
        await host.Mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();
        await WaitUntilAsync(async () => (await host.ListAllAsync()).All(e => e.Attempts >= 2), "Not every mail was attempted twice while the server was down.");
        await server.RestartAsync();
        var counts = await host.WaitUntilSettledAsync(50);

        Assert.Equal((50L, 0L), (counts.Sent, counts.Failed));
        var lines = host.Logs.GetSnapshot().Where(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Information && r.Message.StartsWith("Outbox:", StringComparison.Ordinal)).ToList();
        var warnings = lines.Where(r => r.Level >= Microsoft.Extensions.Logging.LogLevel.Warning).ToList();
        // Over a hundred failed attempts: a line each would be a hundred warnings. (More than one outage line can appear
        // only when another test's server briefly takes the freed port while this one is down.)
        Assert.InRange(warnings.Count, 1, 3);
        Assert.All(warnings, w => Assert.Contains("mail cannot be delivered", w.Message, StringComparison.Ordinal));
        Assert.Contains("Could not connect", warnings[0].Message, StringComparison.Ordinal);
        Assert.DoesNotContain(lines, r => r.Message.Contains(" failed, next attempt at ", StringComparison.Ordinal));
        var summary = lines.Last(r => r.Message.StartsWith("Outbox: delivery works again", StringComparison.Ordinal));
        Assert.Matches(@"; \d+ attempt\(s\) were put off meanwhile$", summary.Message);
    }

    [Fact]
    public async Task Delivery_MaxAttemptsTwoAndServerAlwaysAnswers451_FailsGivingUpWithTheReply()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { DataReply = "451 4.3.0 Try again later" });
        await using var host = await StartHostAsync(server.Port, o => o.MaxAttempts = 2);

        await host.Mailer.SendAsync(Mail(1));
        var counts = await host.WaitUntilSettledAsync(1);

        Assert.Equal((0L, 1L), (counts.Sent, counts.Failed));
        var failed = Assert.Single(await host.Outbox.ListAsync(OutboxStatus.Failed, 10));
        Assert.StartsWith("Gave up after 2 attempt(s)", failed.LastReply, StringComparison.Ordinal);
        Assert.Contains("451", failed.LastReply, StringComparison.Ordinal);
        Assert.Equal(new[] { "retry", "failed" }, (await host.Outbox.GetAttemptsAsync(failed.Id)).Select(a => a.Outcome));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task RetryAsync_FailedMailAndServerNowAccepting_QueuesItAgainAndItIsSent()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { TempFailFirst = 1 });
        await using var host = await StartHostAsync(server.Port, o => o.MaxAttempts = 1);
        var message = Mail(1);
        await host.Mailer.SendAsync(message);
        await host.WaitUntilSettledAsync(1);
        var failed = Assert.Single(await host.Outbox.ListAsync(OutboxStatus.Failed, 10));

        var retried = await host.Outbox.RetryAsync(failed.Id);
        var afterRetry = Assert.Single(await host.ListAllAsync());
        var counts = await host.WaitUntilSettledAsync(1);

        Assert.True(retried);
        Assert.NotEqual(OutboxStatus.Failed, afterRetry.Status);
        Assert.Equal((1L, 0L), (counts.Sent, counts.Failed));
        Assert.Equal(new[] { "failed", "sent" }, (await host.Outbox.GetAttemptsAsync(failed.Id)).Select(a => a.Outcome));
        AssertEachReceivedOnce(server, [message]);
        Assert.False(await host.Outbox.RetryAsync(failed.Id));
    }

    [Fact]
    public async Task SendManyAsync_FiveHundredMailsAndTwoConnections_EachDeliveredOnce()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var host = await StartHostAsync(server.Port, o => o.Connections = 2);
        var dispatched = 0;
        host.Mailer.Dispatched += (_, e) => Interlocked.Increment(ref dispatched);
        var messages = Mails(500);

        var results = await host.Mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();
        var counts = await host.WaitUntilSettledAsync(500);

        Assert.Equal(500, results.Count);
        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(500, dispatched);
        Assert.Equal((500L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        Assert.All(await host.ListAllAsync(), e => Assert.Equal(1, e.Attempts));
    }

    [Fact]
    public async Task SendManyAsync_FourConnections_StoredThroughTheStoresSessionsEachDeliveredOnce()
    {
        await using var server = await SmtpTestServer.StartAsync();
        OverlapWatchingStore? store = null;
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => o.Connections = 2, wrapStore: (_, inner) => store = new OverlapWatchingStore(inner));
        var queue = Assert.IsAssignableFrom<IQueueingMailTransport>(host.Services.GetRequiredService<IMailTransport>());
        var messages = Mails(300);

        var results = await host.Mailer.SendManyAsync(messages.ToAsyncEnumerable(), connections: 4).ToListAsync();
        var counts = await host.WaitUntilSettledAsync(300);

        // PostgreSQL takes a batch while it commits another; SQLite writes one transaction at a time.
        var sessions = _database.Provider == OutboxProvider.PostgreSql ? 2 : 1;
        Assert.Equal(sessions, queue.StoringSessions);
        Assert.Equal(sessions, store!.MostStoringAtOnce);
        Assert.Equal(300, results.Count);
        Assert.All(results, r => Assert.Equal(MailDisposition.Queued, r.Receipt?.Disposition));
        Assert.Equal(300, results.Select(r => r.Receipt!.QueueId).Distinct().Count());
        Assert.Equal((300L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        Assert.All(await host.ListAllAsync(), e => Assert.Equal(1, e.Attempts));
    }

    /// <summary>The outbox's own store, counting how many enqueues run at once. The first holds until a second one
    /// starts (at most 3 s), so sessions that can store at once are seen doing so however the threads are scheduled.</summary>
    private sealed class OverlapWatchingStore(IOutboxStore inner) : ForwardingOutboxStore(inner)
    {
        private readonly TaskCompletionSource _second = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly AtOnceCounter _storing = new();
        private int _calls;

        public int MostStoringAtOnce => _storing.Most;

        public override Task<IReadOnlyList<long>?> EnqueueClaimedAsync(IReadOnlyList<OutboxItem> items, string worker, TimeSpan claimDuration,
            CancellationToken cancellationToken) =>
            WatchAsync(() => Inner.EnqueueClaimedAsync(items, worker, claimDuration, cancellationToken));

        public override Task<IReadOnlyList<long>> EnqueueManyAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken) =>
            WatchAsync(() => Inner.EnqueueManyAsync(items, cancellationToken));

        private async Task<T> WatchAsync<T>(Func<Task<T>> store)
        {
            var now = _storing.Enter();
            try
            {
                if (now > 1)
                {
                    _second.TrySetResult();
                }
                else if (Interlocked.Increment(ref _calls) == 1)
                {
                    await Task.WhenAny(_second.Task, Task.Delay(TimeSpan.FromSeconds(3)));
                }

                return await store();
            }
            finally
            {
                _storing.Exit();
            }
        }
    }

    [Fact]
    public async Task SendManyAsync_Queued_StoresManyMailsToATransaction()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var host = await StartHostAsync(server.Port);

        var results = await host.Mailer.SendManyAsync(Mails(250).ToAsyncEnumerable()).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        // A transaction stamps all its mails with one time. Seven batches of 32 and one of 26 (eight times) when the mails
        // are prepared faster than a batch waits for more (20 ms); on a busy machine some go out partly filled (it saw more
        // than eight once, in a full run of this test project). One transaction a mail would be 250 times.
        var entries = await host.ListAllAsync();
        Assert.Equal(250, entries.Count);
        Assert.InRange(entries.Select(e => e.CreatedAt).Distinct().Count(), 1, 25);
    }

    [Fact]
    public async Task Delivery_OneClaimedBatchOfTwenty_ItsDeliveriesRecordedInOneTransaction()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => (o.Connections, o.BatchSize) = (1, 20), start: false);
        var messages = Mails(20);
        await host.Mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();

        await host.StartAsync();
        var counts = await host.WaitUntilSettledAsync(20);

        Assert.Equal((20L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        // A transaction stamps all its deliveries with one time.
        var entries = await host.ListAllAsync();
        Assert.Single(entries.Select(e => e.SentAt).Distinct());
        foreach (var entry in entries)
        {
            var attempt = Assert.Single(await host.Outbox.GetAttemptsAsync(entry.Id));
            Assert.Equal(("sent", $"127.0.0.1:{server.Port}"), (attempt.Outcome, attempt.Server));
        }

        await WaitUntilLoggedAsync(20, host);
        Assert.Equal(20, host.DeliveredCount);
    }

    [Fact]
    public async Task MarkSentAsync_SeveralDeliveriesSomeClaimedByAnotherWorker_RecordsOnlyTheWorkersOwn()
    {
        var outbox = await _database.CreateOutboxAsync();
        var (mailer, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, SmtpTestServer.FindClosedPort());
        await using (services)
        {
            await mailer.SendManyAsync(Mails(3).ToAsyncEnumerable()).ToListAsync();
            var mine = await services.Store.ClaimAsync("worker-a", 2, TimeSpan.FromMinutes(1), CancellationToken.None);
            var theirs = Assert.Single(await services.Store.ClaimAsync("worker-b", 2, TimeSpan.FromMinutes(1), CancellationToken.None));

            // The other worker's mail between this worker's: each answer belongs to its delivery, in order.
            var owned = await services.Store.MarkSentAsync(
                [new OutboxDelivery(mine[0].Id, "250 OK", "smtp.example.com:25"), new OutboxDelivery(theirs.Id, "250 OK", null),
                    new OutboxDelivery(mine[1].Id, "250 OK", "smtp.example.com:25")],
                "worker-a", CancellationToken.None);

            Assert.Equal([true, false, true], owned);
            var counts = await services.Store.GetCountsAsync(CancellationToken.None);
            Assert.Equal((2L, 1L), (counts.Sent, counts.Sending));
            var attempt = Assert.Single(await services.Store.GetAttemptsAsync(mine[0].Id, CancellationToken.None));
            Assert.Equal(("sent", "250 OK", "smtp.example.com:25", "worker-a"), (attempt.Outcome, attempt.Reply, attempt.Server, attempt.Worker));
            Assert.Empty(await services.Store.GetAttemptsAsync(theirs.Id, CancellationToken.None));
        }
    }

    [Fact]
    public async Task MarkSentAsync_OneMailGivenTwiceInABatch_OnlyItsFirstDeliveryOwnsTheClaim()
    {
        var (mailer, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, await _database.CreateOutboxAsync(), SmtpTestServer.FindClosedPort());
        await using (services)
        {
            await mailer.SendManyAsync(Mails(2).ToAsyncEnumerable()).ToListAsync();
            var claimed = await services.Store.ClaimAsync("worker-a", 2, TimeSpan.FromMinutes(1), CancellationToken.None);

            // As if recorded one after the other: the first releases the claim, so the second finds nothing to record.
            var owned = await services.Store.MarkSentAsync(
                [new OutboxDelivery(claimed[0].Id, "250 first", null), new OutboxDelivery(claimed[1].Id, "250 other", null),
                    new OutboxDelivery(claimed[0].Id, "250 second", null)],
                "worker-a", CancellationToken.None);

            Assert.Equal([true, true, false], owned);
            var attempt = Assert.Single(await services.Store.GetAttemptsAsync(claimed[0].Id, CancellationToken.None));
            Assert.Equal("250 first", attempt.Reply);
        }
    }

    [Fact]
    public async Task GetBacklogAsync_MailInEveryState_CountsTheWaitingMailAsGetCountsAsyncDoes()
    {
        var (mailer, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, await _database.CreateOutboxAsync(), SmtpTestServer.FindClosedPort());
        await using (services)
        {
            var store = services.Store;
            var later = DateTimeOffset.UtcNow.AddHours(1);
            // Queued before the waiting mail below: a scheduled mail, and three that end sent, sent and failed. None of
            // them may count as the oldest waiting mail.
            await mailer.SendAsync(new Message("Later", ["later@example.com"], body: "Hi") { NotBefore = later });
            await mailer.SendManyAsync(Mails(3).ToAsyncEnumerable()).ToListAsync();
            var finished = await store.ClaimAsync("worker-a", 3, TimeSpan.FromMinutes(1), CancellationToken.None);
            await store.MarkSentAsync([new OutboxDelivery(finished[0].Id, "250 OK", null), new OutboxDelivery(finished[1].Id, "250 OK", null)],
                "worker-a", CancellationToken.None);
            await store.MarkFailedAsync(finished[2].Id, "worker-a", "550 No such user", CancellationToken.None);
            await Task.Delay(20);
            var before = DateTimeOffset.UtcNow.AddMilliseconds(-1);
            await mailer.SendManyAsync(Mails(4).ToAsyncEnumerable()).ToListAsync();
            var after = DateTimeOffset.UtcNow.AddMilliseconds(1);
            var cancelled = await mailer.SendAsync(new Message("Cancelled", ["cancelled@example.com"], body: "Hi") { NotBefore = later });
            Assert.True(await store.CancelAsync(long.Parse(cancelled.QueueId!, System.Globalization.CultureInfo.InvariantCulture), CancellationToken.None));
            Assert.Single(await store.ClaimAsync("worker-a", 1, TimeSpan.FromMinutes(1), CancellationToken.None));

            var backlog = await store.GetBacklogAsync(CancellationToken.None);
            var counts = await store.GetCountsAsync(CancellationToken.None);

            // Waiting: three due and one scheduled queued, one being sent; the sent, failed and cancelled are not read.
            Assert.Equal((4L, 1L, 1L, 5L), (backlog.Queued, backlog.Sending, backlog.Scheduled, backlog.Depth));
            Assert.NotNull(backlog.OldestWaitingSince);
            Assert.InRange(backlog.OldestWaitingSince.Value, before, after);
            Assert.Equal(backlog, OutboxBacklog.From(counts));
            Assert.Equal((2L, 1L, 1L), (counts.Sent, counts.Failed, counts.Cancelled));
            // A store written before GetBacklogAsync gives the same, from its counts.
            Assert.Equal(backlog, await ((IOutboxStore)new PassThroughStore(store)).GetBacklogAsync(CancellationToken.None));
        }
    }

    [Fact]
    public async Task EnqueueManyAsync_OneBatchWithAndWithoutOptionalValues_EachMailIsClaimedWithItsOwn()
    {
        var (_, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, await _database.CreateOutboxAsync(), SmtpTestServer.FindClosedPort());
        await using (services)
        {
            // Mails of one batch share the store's statement; none may keep a value of the mail before it.
            OutboxItem[] items =
            [
                Item(1, "Outbox 1", "MAIL RET=FULL\nRCPT NOTIFY=NEVER", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", sendAsStored: true),
                Item(2, subject: null, esmtp: null, traceParent: null, sendAsStored: false),
                Item(3, "Outbox 3", "MAIL ENVID=Order-3", "00-1bf7651916cd43dd8448eb211c80319c-c7ad6b7169203331-01", sendAsStored: true),
                Item(4, "Outbox 4", esmtp: null, traceParent: null, sendAsStored: false),
            ];

            var ids = await services.Store.EnqueueManyAsync(items, CancellationToken.None);
            var claimed = await services.Store.ClaimAsync("test/1", 10, TimeSpan.FromMinutes(1), CancellationToken.None);

            Assert.Equal(ids, claimed.Select(c => c.Id));
            Assert.Equal(
                items.Select(i => (i.MessageId, i.Subject, i.Recipients, i.Esmtp, i.TraceParent, i.SendAsStored, System.Text.Encoding.ASCII.GetString(i.Mime))),
                claimed.Select(c => (c.MessageId, c.Subject, c.Recipients, c.Esmtp, c.TraceParent, c.SendAsStored, System.Text.Encoding.ASCII.GetString(c.Mime))));
        }

        static OutboxItem Item(int number, string? subject, string? esmtp, string? traceParent, bool sendAsStored) =>
            new(0, $"<{number}@example.com>", subject, "from@example.com", $"user{number}@example.com", esmtp,
                System.Text.Encoding.ASCII.GetBytes($"Message-Id: <{number}@example.com>\r\nSubject: {subject}\r\n\r\nBody {number}\r\n"), 0, default)
            {
                TraceParent = traceParent,
                SendAsStored = sendAsStored,
            };
    }

    [Fact]
    public async Task MarkSentAsync_BatchOfDeliveriesWithTheirOwnReplies_EachAttemptRecordsItsOwnReplyAndServer()
    {
        var (mailer, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, await _database.CreateOutboxAsync(), SmtpTestServer.FindClosedPort());
        await using (services)
        {
            await mailer.SendManyAsync(Mails(3).ToAsyncEnumerable()).ToListAsync();
            var claimed = await services.Store.ClaimAsync("worker-a", 3, TimeSpan.FromMinutes(1), CancellationToken.None);

            var owned = await services.Store.MarkSentAsync(
                [.. claimed.Select((m, i) => new OutboxDelivery(m.Id, $"250 2.0.0 queued as {i}", i == 1 ? null : $"smtp{i}.example.com:25"))],
                "worker-a", CancellationToken.None);

            Assert.Equal([true, true, true], owned);
            var attempts = new List<(string, string?, string?)>();
            foreach (var mail in claimed)
            {
                var attempt = Assert.Single(await services.Store.GetAttemptsAsync(mail.Id, CancellationToken.None));
                attempts.Add((attempt.Outcome, attempt.Reply, attempt.Server));
            }

            Assert.Equal([("sent", "250 2.0.0 queued as 0", "smtp0.example.com:25"), ("sent", "250 2.0.0 queued as 1", null),
                ("sent", "250 2.0.0 queued as 2", "smtp2.example.com:25")], attempts);
            Assert.All(await services.Store.ListAsync(null, 10, CancellationToken.None), e => Assert.Equal(OutboxStatus.Sent, e.Status));
        }
    }

    [Fact]
    public async Task SendManyAsync_CallerHandsOverTheNextMailOnlyAfterAResult_EachIsStoredWithoutWaitingForMore()
    {
        var outbox = await _database.CreateOutboxAsync();
        var (mailer, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, SmtpTestServer.FindClosedPort());
        await using (services)
        {
            var source = System.Threading.Channels.Channel.CreateUnbounded<Message>();
            source.Writer.TryWrite(Mail(1));
            var results = new List<MessageSendResult>();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));

            // A request/response caller: a batch that waited for a full hundred would never get its second mail.
            await foreach (var result in mailer.SendManyAsync(source.Reader.ReadAllAsync(timeout.Token), cancellationToken: timeout.Token))
            {
                results.Add(result);
                if (results.Count < 3)
                {
                    source.Writer.TryWrite(Mail(results.Count + 1));
                }
                else
                {
                    source.Writer.Complete();
                }
            }

            Assert.Equal(3, results.Count);
            Assert.All(results, r => Assert.Equal(MailDisposition.Queued, r.Receipt?.Disposition));
        }
    }

    [Fact]
    public async Task Delivery_TwoHostsOnOneOutbox_ServerReceivesEachOfAThousandMailsOnce()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await _database.CreateOutboxAsync();
        await using var first = await OutboxTestHost.StartAsync(_database.Provider, outbox, server.Port);
        await using var second = await OutboxTestHost.StartAsync(_database.Provider, outbox, server.Port);
        var messages = Mails(1000);

        var results = await first.Mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();
        var counts = await first.WaitUntilSettledAsync(1000, TimeSpan.FromSeconds(45));

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal((1000L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        Assert.All(await first.ListAllAsync(), e => Assert.Equal(1, e.Attempts));
        await WaitUntilLoggedAsync(1000, first, second);
        Assert.Equal(1000, first.DeliveredCount + second.DeliveredCount);
        if (BothHostsMustDeliver)
        {
            Assert.True(first.DeliveredCount > 0 && second.DeliveredCount > 0,
                $"Only one host delivered: {first.DeliveredCount} and {second.DeliveredCount}.");
        }
    }

    [Fact]
    public async Task Delivery_HostStopsMidBatch_UnsentMailsQueuedAgainAtOnceAndSentByTheNextStart()
    {
        // 20 mails of 300 ms each: the host's stop comes well before the batch is through (about 6 s).
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(300) });
        var outbox = await _database.CreateOutboxAsync();
        // A claim longer than the test: only giving the mails back on shutdown lets the next start send them soon.
        void Slow(OutboxOptions o)
        {
            o.Connections = 1;
            o.BatchSize = 20;
            o.ClaimDuration = TimeSpan.FromMinutes(10);
        }

        var messages = Mails(20);
        await using (var first = await StartHostAsync(server.Port, outbox, Slow))
        {
            await SendEachAsync(first, messages);
            await WaitUntilAsync(() => Task.FromResult(server.Messages.Count > 0), "The first host delivered nothing.");
        }

        var (_, runtime) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, server.Port);
        await using (runtime)
        {
            var stopped = await runtime.Store.GetCountsAsync(CancellationToken.None);
            Assert.Equal(0, stopped.Sending);
            Assert.InRange(stopped.Sent, 1, 19);
            Assert.All((await runtime.Store.ListAsync(OutboxStatus.Queued, 100, CancellationToken.None)), e => Assert.Equal(0, e.Attempts));
        }

        await using (var second = await StartHostAsync(server.Port, outbox, Slow))
        {
            var counts = await second.WaitUntilSettledAsync(20);
            Assert.Equal((20L, 0L), (counts.Sent, counts.Failed));
        }

        AssertEachReceivedOnce(server, messages);
    }

    [Fact]
    public async Task Delivery_ShutdownCatchesAClaimAfterItWasCommitted_ClaimedMailsGivenBackAtOnceWithNoAttemptCounted()
    {
        // The claim is committed, then the shutdown comes before the worker has the mails (a PostgreSQL claim reads their
        // bodies in a statement of its own: CI once saw 19 of 20 mails left claimed this way, until the claim expired).
        // The test stops the workers itself before the claim returns: it used to let the claim return 500 ms after the
        // application began to stop, and CI once saw a mail sent when the host took longer than that to reach the workers.
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await _database.CreateOutboxAsync();
        CancelledAfterClaimStore? store = null;
        var host = await OutboxTestHost.StartAsync(_database.Provider, outbox, server.Port, start: false,
            wrapStore: (_, inner) => store = new CancelledAfterClaimStore(inner));
        await SendEachAsync(host, Mails(5));

        await host.StartAsync();
        await store!.Claimed.WaitAsync(TimeSpan.FromSeconds(30));
        // The workers are told to stop (the host's stop does this when it comes to the outbox), then the claim returns.
        var workers = host.Services.GetServices<IHostedService>().OfType<OutboxDeliveryService>().Single();
        var stopping = workers.StopAsync(CancellationToken.None);
        store.ReturnClaim();
        await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        await host.DisposeAsync();

        var (_, runtime) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, server.Port);
        await using (runtime)
        {
            var counts = await runtime.Store.GetCountsAsync(CancellationToken.None);
            Assert.Equal((5L, 0L, 0L), (counts.Queued, counts.Sending, counts.Sent));
            Assert.All(await runtime.Store.ListAsync(OutboxStatus.Queued, 100, CancellationToken.None), e => Assert.Equal(0, e.Attempts));
        }

        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Delivery_BatchOutlastingItsClaimWhileASecondHostWaits_EachMailSentOnceByTheFirst()
    {
        // 1.5 s a message: six mails take 9 s, longer than the 8 s claim (the least four times the 2 s timeout allows).
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(1500) });
        var outbox = await _database.CreateOutboxAsync();
        void OneBatch(OutboxOptions o)
        {
            o.Connections = 1;
            o.BatchSize = 10;
            o.ClaimDuration = TimeSpan.FromSeconds(8);
        }

        var messages = Mails(6);
        await using var first = await StartHostAsync(server.Port, outbox, OneBatch);
        await first.Mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();
        await WaitUntilAsync(async () => (await first.Outbox.GetCountsAsync()).Sending == 6, "The first host did not claim the six mails.");

        await using var second = await StartHostAsync(server.Port, outbox, OneBatch);
        var counts = await first.WaitUntilSettledAsync(6);

        Assert.Equal((6L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        await WaitUntilLoggedAsync(6, first, second);
        Assert.Equal((6, 0), (first.DeliveredCount, second.DeliveredCount));
    }

    [Fact]
    public async Task Delivery_ClaimOfACrashedInstance_TakenOverOnceItExpires()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await _database.CreateOutboxAsync();
        var messages = Mails(3);
        var claimDuration = TimeSpan.FromSeconds(1.5);
        DateTimeOffset claimedAt;
        var (crashed, runtime) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, server.Port);
        await using (runtime)
        {
            await SendEachAsync(crashed, messages);
            claimedAt = DateTimeOffset.UtcNow;
            var claimed = await runtime.Store.ClaimAsync("crashed-instance/1", 10, claimDuration, CancellationToken.None);
            Assert.Equal(3, claimed.Count);
        }

        await using var host = await StartHostAsync(server.Port, outbox);
        var counts = await host.WaitUntilSettledAsync(3);

        Assert.Equal((3L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        foreach (var entry in await host.ListAllAsync())
        {
            Assert.True(entry.SentAt >= claimedAt + claimDuration, $"{entry.MessageId} was sent at {entry.SentAt:O}, before the claim of {claimedAt:O} expired");
            Assert.Equal(2, entry.Attempts);
            Assert.Equal("sent", Assert.Single(await host.Outbox.GetAttemptsAsync(entry.Id)).Outcome);
        }
    }

    [Fact]
    public async Task Delivery_MailQueuedWhileTheWorkersRun_HandedToThemAndSentWithoutAClaimFromTheStore()
    {
        await using var server = await SmtpTestServer.StartAsync();
        ClaimCountingStore? store = null;
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => o.Connections = 2, wrapStore: (_, inner) => store = new ClaimCountingStore(inner));
        var many = Mails(300);
        var single = Enumerable.Range(301, 5).Select(Mail).ToList();

        var results = await host.Mailer.SendManyAsync(many.ToAsyncEnumerable()).ToListAsync();
        await SendEachAsync(host, single);
        var counts = await host.WaitUntilSettledAsync(305);

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal((305L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, [.. many, .. single]);
        // The lanes hold 64 mails each, so a fast caller queues some the usual way; every other mail is never claimed.
        Assert.True(store!.StoredClaimed > 0, "No mail was handed to a worker.");
        Assert.Equal(305, store.StoredClaimed + store.Claimed);
        foreach (var entry in await host.ListAllAsync())
        {
            Assert.Equal(1, entry.Attempts);
            var attempt = Assert.Single(await host.Outbox.GetAttemptsAsync(entry.Id));
            Assert.Equal("sent", attempt.Outcome);
            Assert.Matches("/[12]$", attempt.Worker);
        }
    }

    [Fact]
    public async Task Delivery_ListsOf32HandedToAWorkerOfBatchSize20_EachStoredBatchRecordedSentInOneTransaction()
    {
        await using var server = await SmtpTestServer.StartAsync();
        ClaimCountingStore? store = null;
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => (o.Connections, o.BatchSize) = (1, 20), wrapStore: (_, inner) => store = new ClaimCountingStore(inner));
        // A first mail, sent once the worker runs: the lists are queued while its lane is open.
        var first = Mail(0);
        await host.Mailer.SendAsync(first);
        await host.WaitUntilSettledAsync(1);
        var (storedClaimed, claimedInserts, records) = (store!.StoredClaimed, store.ClaimedInserts, store.Records);
        var lists = Enumerable.Range(0, 3).Select(l => Enumerable.Range(1 + (32 * l), 32).Select(Mail).ToList()).ToList();

        foreach (var (list, sent) in lists.Select((list, l) => (list, 1 + (32 * (l + 1)))))
        {
            Assert.All(await host.Mailer.SendManyAsync(list.ToAsyncEnumerable()).ToListAsync(), r => Assert.True(r.IsSent, r.Error?.Message));
            await host.WaitUntilSettledAsync(sent);
        }

        AssertEachReceivedOnce(server, [first, .. lists.SelectMany(l => l)]);
        Assert.Equal(96, store.StoredClaimed - storedClaimed);
        // What one enqueue handed over (up to 32) is taken and recorded together, not as 20 and 12: two records of deliveries
        // for each stored batch on SQLite's one writer.
        Assert.InRange(store.Records - records, 1, store.ClaimedInserts - claimedInserts);
    }

    [Fact]
    public async Task Delivery_ListHandedToOneWorker_SentInPipelinedRunsEachMailOnce()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => (o.Connections, o.PollInterval) = (1, TimeSpan.FromSeconds(10)));
        // A first mail opens the worker's connection (kept open for the poll interval); the list then goes in pipelined runs on it.
        var first = Mail(0);
        await host.Mailer.SendAsync(first);
        await host.WaitUntilSettledAsync(1);
        var list = Enumerable.Range(1, 20).Select(Mail).ToList();

        Assert.All(await host.Mailer.SendManyAsync(list.ToAsyncEnumerable()).ToListAsync(), r => Assert.True(r.IsSent, r.Error?.Message));
        var counts = await host.WaitUntilSettledAsync(21);

        Assert.Equal((21L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, [first, .. list]);
        // The next mail's envelope went behind a mail's content (one round trip a mail, not two) for most of the list.
        var pipelined = server.Messages.Count(m => m.NextPipelined);
        Assert.True(pipelined >= 10, $"{pipelined} of 21 mails came with the next one's envelope behind them.");
        Assert.Equal(1, server.ConnectionCount);
    }

    [Fact]
    public async Task Delivery_MailQueuedOneAtATimeWithShortPauses_SentOnOneConnectionWithoutAClaimAtEachPauseAndClosedAfterAPollIdle()
    {
        await using var server = await SmtpTestServer.StartAsync();
        ClaimCountingStore? store = null;
        var pollInterval = TimeSpan.FromSeconds(3);
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => (o.Connections, o.PollInterval) = (1, pollInterval), wrapStore: (_, inner) => store = new ClaimCountingStore(inner));
        var messages = Mails(6);
        var burst = Stopwatch.StartNew();

        for (var i = 0; i < messages.Count; i++)
        {
            await host.Mailer.SendAsync(messages[i]);
            await WaitUntilAsync(() => Task.FromResult(server.Messages.Count > i), $"Mail {i + 1} did not arrive.");
            // The worker finds its lane empty and waits, as between the bursts of a sender queueing a list.
            await Task.Delay(100);
        }

        burst.Stop();
        var claims = store!.Claims;
        var (connections, quits) = (server.ConnectionCount, server.Quits.Count);
        await WaitUntilAsync(() => Task.FromResult(server.Quits.Count > 0), "The idle connection was never closed.");
        var idleBeforeQuit = server.Quits[0] - server.Messages[^1].ReceivedAt;

        AssertEachReceivedOnce(server, messages);
        // Mail handed over after a pause shorter than the poll interval goes on the connection the worker kept open (before:
        // a QUIT and a new connection for each) ...
        Assert.Equal((1, 0), (connections, quits));
        // ... without a claim from the store each time its lane ran empty, only the first and one a poll interval.
        Assert.InRange(claims, 1, 2 + (int)(burst.Elapsed / pollInterval));
        // Unused for a poll interval, the connection is closed, freeing the server's slot.
        Assert.InRange(idleBeforeQuit, pollInterval - TimeSpan.FromMilliseconds(500), pollInterval + TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task Delivery_ApplicationsClockMovedOnAPollInterval_IdleWorkerClaimsMailAnotherInstanceQueued()
    {
        // An application that tests its mail with a clock of its own (FakeTimeProvider): the idle worker's wait for the next
        // poll is on that clock, so moving it on a poll interval has the worker claim at once (before: it waited a minute
        // of real time, whatever the clock said).
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await _database.CreateOutboxAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        ClaimCountingStore? store = null;
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, outbox, server.Port,
            o => (o.Connections, o.PollInterval) = (1, TimeSpan.FromMinutes(1)), wrapStore: (_, inner) => store = new ClaimCountingStore(inner),
            services: s => s.AddSingleton<TimeProvider>(clock));
        await WaitUntilAsync(() => Task.FromResult(store?.Claims > 0), "The worker never claimed.");
        var (mailer, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, server.Port);
        await using (services)
        {
            await mailer.SendAsync(Mail(1)); // stored by another instance: nothing wakes this one's worker
        }

        await Task.Delay(500);
        var beforeThePoll = server.Messages.Count;
        clock.Advance(TimeSpan.FromMinutes(1));
        await WaitUntilAsync(() => Task.FromResult(server.Messages.Count > 0), "The mail was not sent within 20 s of the clock moving on a poll interval.");

        Assert.Equal(0, beforeThePoll);
    }

    [Fact]
    public async Task Delivery_BacklogInTheStoreWhileMailIsHandedOver_HandedMailGoesBetweenTheStoresBatches()
    {
        // Three seconds of backlog, so the handed mail is queued well before its end even on a slow first run.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(100) });
        var outbox = await _database.CreateOutboxAsync();
        var backlog = Mails(30);
        var (enqueueOnly, runtime) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, server.Port);
        await using (runtime)
        {
            await enqueueOnly.SendManyAsync(backlog.ToAsyncEnumerable()).ToListAsync();
        }

        await using var host = await StartHostAsync(server.Port, outbox, o => (o.Connections, o.BatchSize) = (1, 2));
        await WaitUntilAsync(() => Task.FromResult(server.Messages.Count > 0), "The worker did not start on the backlog.");
        var handed = Mail(31);
        await host.Mailer.SendAsync(handed);
        var arrivedBefore = server.Messages.Count;
        await host.WaitUntilSettledAsync(31);

        AssertEachReceivedOnce(server, [.. backlog, handed]);
        // Queued while the worker claims full batches of two from the store: it goes after the batch under way (and the
        // one the worker may be claiming), not after the whole backlog (31st).
        var position = server.Messages.Select(m => m.MessageId).ToList().IndexOf(handed.MessageId) + 1;
        Assert.True(arrivedBefore < 26, $"The backlog was nearly sent ({arrivedBefore} of 30) before the handed mail was queued.");
        Assert.True(position <= arrivedBefore + 5, $"The handed mail arrived at position {position} of 31, queued when {arrivedBefore} had arrived.");
    }

    [Fact]
    public async Task Delivery_StoreThatDoesNotStoreClaimedMail_AskedOnceThenEveryMailQueuedAndClaimed()
    {
        await using var server = await SmtpTestServer.StartAsync();
        ClaimCountingStore? store = null;
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            wrapStore: (_, inner) => store = new ClaimCountingStore(inner, storesClaimed: false));
        // A worker has claimed, so its lane is open: mail queued before that is queued in the store without asking (CI
        // saw no ask at all when the workers started late).
        await WaitUntilAsync(() => Task.FromResult(store?.Claims > 0), "The workers never claimed.");
        var messages = Mails(5);

        await SendEachAsync(host, messages);
        var counts = await host.WaitUntilSettledAsync(5);

        Assert.Equal((5L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        Assert.Equal((1, 0, 5), (store!.ClaimedInserts, store.StoredClaimed, store.Claimed));
    }

    [Fact]
    public async Task Delivery_HandOverOff_EveryMailClaimedFromTheStore()
    {
        await using var server = await SmtpTestServer.StartAsync();
        ClaimCountingStore? store = null;
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => o.HandOver = false, wrapStore: (_, inner) => store = new ClaimCountingStore(inner));
        var messages = Mails(40);

        await host.Mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();
        var counts = await host.WaitUntilSettledAsync(40);

        Assert.Equal((40L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        Assert.Equal((0, 40), (store!.StoredClaimed, store.Claimed));
    }

    [Fact]
    public async Task Delivery_OneWorkerWaitsOutAStoreError_MailQueuedMeanwhileIsSentByTheOtherAtOnce()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var firstWorkerFailed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        // A poll interval longer than the test: mail handed to the worker that waits it out would wait that long.
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => (o.Connections, o.PollInterval) = (2, TimeSpan.FromMinutes(2)),
            wrapStore: (_, inner) => new FirstWorkerCannotClaimStore(inner, firstWorkerFailed));
        await firstWorkerFailed.Task.WaitAsync(OutboxTestHost.DefaultWait);
        // Batches of 32, handed to the lane that holds fewer: both lanes would get some.
        await SendAListAndAssertEachSentByTheSecondWorkerAsync(host, server);
    }

    [Fact]
    public async Task Delivery_WorkerFailsAfterMailWasHandedToIt_HandedMailQueuedAgainAndSentByTheOtherAtOnce()
    {
        // Both workers hold their first claim until mail has been handed to the first, so each lane is given some; the
        // first worker's claim then fails. What was handed to it goes back to the store, and the other worker is woken
        // for it (before: it waited in the failing worker's lane for its back-off, a poll interval of 2 minutes here).
        await using var server = await SmtpTestServer.StartAsync();
        var store = (FailsOnceHandedStore?)null;
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => (o.Connections, o.PollInterval) = (2, TimeSpan.FromMinutes(2)),
            wrapStore: (_, inner) => store = new FailsOnceHandedStore(inner));
        await WaitUntilAsync(() => Task.FromResult(store is not null), "The outbox's store was never made.");
        await store!.BothClaiming.WaitAsync(OutboxTestHost.DefaultWait);

        await SendAListAndAssertEachSentByTheSecondWorkerAsync(host, server);

        Assert.True(store.HandedToTheFirst);
    }

    [Fact]
    public async Task Delivery_WorkerFailsAfterMailWasHandedToItAndCannotGiveItBack_TheMailWaitsForItAndGoesWhenItTriesAgain()
    {
        // As above, but the store cannot take the handed mail back either: it stays in the failing worker's lane (its
        // claim is in that worker's name) and goes when the worker tries again, a poll interval later on the outbox's
        // clock, not when the claim expires.
        await using var server = await SmtpTestServer.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var pollInterval = TimeSpan.FromMinutes(1);
        FailsOnceHandedStore? store = null;
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => (o.Connections, o.PollInterval, o.ClaimDuration) = (2, pollInterval, TimeSpan.FromMinutes(30)),
            wrapStore: (_, inner) => store = new FailsOnceHandedStore(inner, releaseFails: true),
            services: s => s.AddSingleton<TimeProvider>(clock));
        await WaitUntilAsync(() => Task.FromResult(store is not null), "The outbox's store was never made.");
        await store!.BothClaiming.WaitAsync(OutboxTestHost.DefaultWait);
        var messages = Mails(100);

        var results = await host.Mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();
        await store.ReleaseFailed.WaitAsync(OutboxTestHost.DefaultWait);
        OutboxCounts counts;
        for (var moves = 1; ; moves++)
        {
            // The back-off waits on the outbox's clock: a poll interval on it ends the wait (moved again should the worker
            // not have begun its wait yet; the claims last 30 minutes of it).
            clock.Advance(pollInterval);
            try
            {
                counts = await host.WaitUntilSettledAsync(100, TimeSpan.FromSeconds(5));
                break;
            }
            catch (TimeoutException) when (moves < 4)
            {
            }
        }

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal((100L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        var byTheFirst = 0;
        foreach (var entry in await host.ListAllAsync())
        {
            byTheFirst += Assert.Single(await host.Outbox.GetAttemptsAsync(entry.Id)).Worker!.EndsWith("/1", StringComparison.Ordinal) ? 1 : 0;
        }

        // What was handed to the failing worker waited for it, then went on its own connection.
        Assert.InRange(byTheFirst, 1, 99);
    }

    [Fact]
    public async Task Send_WorkerStopsWhileItsMailIsStoredAndGivingItBackFails_SenderHearsQueuedAndTheMailIsSentOnceTheClaimExpires()
    {
        await using var server = await SmtpTestServer.StartAsync();
        // A claim of three seconds (at least four times the mail timeout, which it covers).
        var claimDuration = TimeSpan.FromSeconds(3);
        OutboxRuntime? runtime = null;
        OutboxLane? stopping = null;
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => o.ClaimDuration = claimDuration, start: false, mail: m => m.Timeout = claimDuration / 4,
            wrapStore: (_, inner) => new WorkerStopsWhileStoringStore(inner, () => runtime!.Lanes.Close(stopping!)));
        runtime = host.Services.GetRequiredService<OutboxRuntime>();
        stopping = runtime.Lanes.Open("stopping-instance/1");
        var message = Mail(1);
        var claimedAfter = DateTimeOffset.UtcNow;

        var receipt = await host.Mailer.SendAsync(message);
        var counts = await host.Outbox.GetCountsAsync();
        await host.StartAsync();
        var settled = await host.WaitUntilSettledAsync(1);

        Assert.Equal(MailDisposition.Queued, receipt.Disposition);
        // Stored, and claimed in the stopped worker's name: no one sends it before that claim expires.
        Assert.Equal((0L, 1L), (counts.Queued, counts.Sending));
        Assert.Contains(host.Logs.GetSnapshot(), r => r.Level == LogLevel.Warning && r.Message.Contains("stopping-instance/1, which stopped meanwhile", StringComparison.Ordinal));
        Assert.Equal((1L, 0L), (settled.Sent, settled.Failed));
        AssertEachReceivedOnce(server, [message]);
        var entry = Assert.Single(await host.ListAllAsync());
        Assert.True(entry.SentAt >= claimedAfter + claimDuration, $"Sent at {entry.SentAt:O}, before the claim made after {claimedAfter:O} expired");
    }

    [Fact]
    public async Task EnqueueClaimedAsync_WorkerNeverSendsThem_NoOtherClaimTakesThemUntilTheClaimExpiresThenTheyAreSentOnce()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await _database.CreateOutboxAsync();
        var messages = Mails(3);
        var claimDuration = TimeSpan.FromSeconds(1.5);
        DateTimeOffset claimedAt;
        var (_, runtime) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, server.Port);
        await using (runtime)
        {
            await runtime.Store.EnsureSchemaAsync(CancellationToken.None);
            claimedAt = DateTimeOffset.UtcNow;
            var ids = await runtime.Store.EnqueueClaimedAsync(messages.Select(WireItem).ToList(), "crashed-instance/1", claimDuration, CancellationToken.None);

            Assert.Equal(3, ids?.Count);
            Assert.Empty(await runtime.Store.ClaimAsync("another/1", 10, claimDuration, CancellationToken.None));
            var counts = await runtime.Store.GetCountsAsync(CancellationToken.None);
            Assert.Equal((0L, 3L), (counts.Queued, counts.Sending));
        }

        await using var host = await StartHostAsync(server.Port, outbox);
        var settled = await host.WaitUntilSettledAsync(3);

        Assert.Equal((3L, 0L), (settled.Sent, settled.Failed));
        AssertEachReceivedOnce(server, messages);
        foreach (var entry in await host.ListAllAsync())
        {
            Assert.True(entry.SentAt >= claimedAt + claimDuration, $"{entry.MessageId} was sent at {entry.SentAt:O}, before the claim of {claimedAt:O} expired");
            // The first attempt was counted when the mail was stored claimed, the second when it was taken over.
            Assert.Equal(2, entry.Attempts);
        }
    }

    [Fact]
    public async Task Delivery_HostStopsWithMailWaitingForItsWorker_WaitingMailQueuedAgainAtOnceAndSentByTheNextStart()
    {
        // The server holds each answer 3 s: time enough to queue the other two and stop the host while the first is still
        // being sent, however slow the machine; Mail:Timeout is raised above it, so the started delivery finishes.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromSeconds(3) });
        var outbox = await _database.CreateOutboxAsync();
        // A claim longer than the test: only giving the mails back on shutdown lets the next start send them soon.
        void OneConnection(OutboxOptions o) => (o.Connections, o.ClaimDuration) = (1, TimeSpan.FromMinutes(10));
        static void PatientServer(MailOptions o) => o.Timeout = TimeSpan.FromSeconds(10);
        var messages = Mails(3);
        await using (var first = await OutboxTestHost.StartAsync(_database.Provider, outbox, server.Port, OneConnection, mail: PatientServer))
        {
            await first.Mailer.SendAsync(messages[0]);
            // The worker is sending the first (the server holds its answer); the other two wait in its lane.
            await WaitUntilAsync(() => Task.FromResult(server.ConnectionCount > 0), "The worker did not connect.");
            await SendEachAsync(first, messages.Skip(1));
        }

        var (_, runtime) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, server.Port);
        await using (runtime)
        {
            var stopped = await runtime.Store.GetCountsAsync(CancellationToken.None);
            Assert.Equal((1L, 0L, 2L), (stopped.Sent, stopped.Sending, stopped.Queued));
            Assert.All(await runtime.Store.ListAsync(OutboxStatus.Queued, 100, CancellationToken.None), e => Assert.Equal(0, e.Attempts));
        }

        await using (var second = await OutboxTestHost.StartAsync(_database.Provider, outbox, server.Port, OneConnection, mail: PatientServer))
        {
            var counts = await second.WaitUntilSettledAsync(3);
            Assert.Equal((3L, 0L), (counts.Sent, counts.Failed));
        }

        AssertEachReceivedOnce(server, messages);
    }

    [Theory]
    [InlineData(false, false)] // ASCII text and HTML, base64 attachments: delivered as the bytes stored
    [InlineData(true, false)] // UTF-8 (8-bit) text: parsed and prepared for the server as a direct send is
    [InlineData(true, true)] // and DKIM-signed as it is delivered
    public async Task Delivery_QueuedMailWithAttachments_ServerReceivesTheMailADirectSendDelivers(bool eightBit, bool dkim)
    {
        await using var server = await SmtpTestServer.StartAsync();
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var keyFile = Path.Combine(Path.GetTempPath(), $"mailmvc-wire-{Guid.NewGuid():N}.pem");
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        try
        {
            void Configure(MailOptions options)
            {
                options.DefaultSender = "MailMvc <news@example.com>";
                options.Dkim = dkim ? new MailMvc.Mail.Dkim.DkimOptions { Domain = "example.com", Selector = "mail2026", PrivateKeyPath = keyFile } : new();
            }

            var direct = server.CreateMailOptions();
            Configure(direct);
            await new Mailer(direct).SendAsync(WireMail(eightBit));
            await using (var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port, mail: Configure))
            {
                Assert.Equal(MailDisposition.Queued, (await host.Mailer.SendAsync(WireMail(eightBit))).Disposition);
                Assert.Equal((1L, 0L), ((await host.WaitUntilSettledAsync(1)).Sent, (await host.Outbox.GetCountsAsync()).Failed));
            }

            var (sentDirectly, queued) = (server.Messages[0], server.Messages[1]);
            // Sent as it is to a server that takes 8-bit mail; DKIM signs a 7-bit form of it.
            Assert.Equal(eightBit && !dkim, sentDirectly.MailOptions.Contains("BODY=8BITMIME"));
            // SIZE= counts the signature too, whose b= may fold differently.
            Assert.Equal(sentDirectly.MailOptions.Where(o => !dkim || !o.StartsWith("SIZE=", StringComparison.Ordinal)),
                queued.MailOptions.Where(o => !dkim || !o.StartsWith("SIZE=", StringComparison.Ordinal)));
            Assert.Equal(sentDirectly.RcptTos, queued.RcptTos);
            if (dkim)
            {
                // Each signature holds when and over which boundaries it was made; both must verify.
                var publicKey = Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());
                Assert.Equal(("pass", "pass"), (await Dkim.DkimVerifier.VerifyAsync(sentDirectly.Data, publicKey), await Dkim.DkimVerifier.VerifyAsync(queued.Data, publicKey)));
            }

            Assert.Equal(Comparable(sentDirectly.Data), Comparable(queued.Data));
        }
        finally
        {
            File.Delete(keyFile);
        }
    }

    [Fact]
    public async Task ClaimAsync_AsciiAndEightBitMailQueued_EachKeepsWhetherItGoesOutAsStored()
    {
        var (mailer, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, await _database.CreateOutboxAsync(), SmtpTestServer.FindClosedPort());
        await using (services)
        {
            await mailer.SendAsync(WireMail(eightBit: false));
            await mailer.SendAsync(WireMail(eightBit: true));

            var claimed = await services.Store.ClaimAsync("test/1", 10, TimeSpan.FromMinutes(1), CancellationToken.None);

            Assert.Equal([true, false], claimed.Select(i => i.SendAsStored));
        }
    }

    /// <summary>True where the database lets several instances claim side by side (PostgreSQL's SKIP LOCKED).</summary>
    protected abstract bool BothHostsMustDeliver { get; }

    private async Task<OutboxTestHost> StartHostAsync(int smtpPort, Action<OutboxOptions>? configure = null) =>
        await StartHostAsync(smtpPort, await _database.CreateOutboxAsync(), configure);

    private Task<OutboxTestHost> StartHostAsync(int smtpPort, string outbox, Action<OutboxOptions>? configure = null) =>
        OutboxTestHost.StartAsync(_database.Provider, outbox, smtpPort, configure);

    /// <summary>Waits until <paramref name="hosts"/> have logged <paramref name="delivered"/> deliveries between them: a
    /// worker logs each after its record is committed, so the outbox can count a mail sent a moment before its line.</summary>
    private static Task WaitUntilLoggedAsync(int delivered, params OutboxTestHost[] hosts) =>
        WaitUntilAsync(() => Task.FromResult(hosts.Sum(h => h.DeliveredCount) >= delivered),
            $"The hosts did not log {delivered} deliveries between them.");

    /// <summary>Polls <paramref name="condition"/> every 25 ms, failing with <paramref name="failure"/> after 20 s.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, failure);
            await Task.Delay(25);
        }
    }

    private static Message Mail(int number) => new($"Outbox {number}", [$"user{number}@example.com"], body: "Hi");

    /// <summary>A mail with text, HTML, an inline image and two attachments, the same each time it is made (Message-ID and
    /// Date fixed), in ASCII or with 8-bit UTF-8 text.</summary>
    private static Message WireMail(bool eightBit)
    {
        var name = eightBit ? "Zoë" : "Zoe";
        var message = new Message($"News for {name}", [$"{name} <zoe@example.com>"], body: $"Hello {name},\nthe menu is attached.",
            html: $"<p>Hello {name}, <img src=\"cid:logo\" alt=\"Logo\"></p><p>{string.Concat(Enumerable.Repeat("A long paragraph. ", 20))}</p>",
            extraHeaders: new Dictionary<string, string> { ["List-Unsubscribe"] = "<https://example.com/unsubscribe/abc>" })
        {
            MessageId = "wire-bytes@example.com",
            Date = new DateTimeOffset(2026, 12, 1, 14, 0, 0, TimeSpan.Zero),
        };
        message.AttachInline("logo", "logo.png", "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        message.Attach("menu.txt", "text/plain", System.Text.Encoding.UTF8.GetBytes($"Croissant 2 {(eightBit ? "€" : "EUR")}\n"));
        message.Attach("menu.pdf", "application/pdf", [0x25, 0x50, 0x44, 0x46, 0x00, 0xFF]);
        return message;
    }

    /// <summary>The mail without what differs each time one is built (the multipart boundaries, numbered in order instead)
    /// or signed (the DKIM-Signature header).</summary>
    private static string Comparable(string data)
    {
        var withoutSignature = System.Text.RegularExpressions.Regex.Replace(data, "^DKIM-Signature:.*\r?\n(?:[ \t].*\r?\n)*", "",
            System.Text.RegularExpressions.RegexOptions.Multiline);
        var boundaries = System.Text.RegularExpressions.Regex.Matches(withoutSignature, "boundary=\"([^\"]+)\"").Select(m => m.Groups[1].Value).Distinct().ToList();
        return boundaries.Select((b, i) => (b, i)).Aggregate(withoutSignature, (text, b) => text.Replace(b.b, $"boundary-{b.i}", StringComparison.Ordinal));
    }

    /// <summary>The mail as the outbox stores it, built as the mailer builds it.</summary>
    private static OutboxItem WireItem(Message message)
    {
        var mime = MimeMessageBuilder.Build(message, new MailOptions { DefaultSender = "outbox@example.com" });
        return OutboxRuntime.ToItem(mime, new Envelope(new MimeKit.MailboxAddress((string?)null, "outbox@example.com"), mime.To.Mailboxes.ToList()));
    }

    private sealed class PassThroughStore(IOutboxStore inner) : ForwardingOutboxStore(inner);

    /// <summary>A store the first worker (".../1") cannot claim from: every claim of its fails as an unreachable database's would.</summary>
    private sealed class FirstWorkerCannotClaimStore(IOutboxStore inner, TaskCompletionSource failed) : ForwardingOutboxStore(inner)
    {
        public override Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken)
        {
            if (!worker.EndsWith("/1", StringComparison.Ordinal))
            {
                return base.ClaimAsync(worker, max, claimDuration, cancellationToken);
            }

            failed.TrySetResult();
            throw new Microsoft.Data.Sqlite.SqliteException("unable to open database file", 14);
        }
    }

    /// <summary>A store whose workers' first claims wait until mail has been stored claimed for the first worker; that
    /// worker's first claim then fails (the database unreachable), the other's goes on. With
    /// <paramref name="releaseFails"/>, the first worker cannot give mail back either.</summary>
    private sealed class FailsOnceHandedStore(IOutboxStore inner, bool releaseFails = false) : ForwardingOutboxStore(inner)
    {
        private readonly TaskCompletionSource _handedToTheFirst = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _releaseFailed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _bothClaiming = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly System.Collections.Concurrent.ConcurrentDictionary<string, bool> _claiming = new();
        private int _failed;

        /// <summary>Completes when both workers are in their first claim: their lanes are open, so mail queued now is
        /// handed to them (before that it would be queued in the store, and nothing would ever be handed to the first).</summary>
        public Task BothClaiming => _bothClaiming.Task;

        public bool HandedToTheFirst => _handedToTheFirst.Task.IsCompleted;

        /// <summary>Completes when the first worker's give-back has failed.</summary>
        public Task ReleaseFailed => _releaseFailed.Task;

        public override async Task<IReadOnlyList<long>?> EnqueueClaimedAsync(IReadOnlyList<OutboxItem> items, string worker, TimeSpan claimDuration,
            CancellationToken cancellationToken)
        {
            var ids = await base.EnqueueClaimedAsync(items, worker, claimDuration, cancellationToken);
            if (worker.EndsWith("/1", StringComparison.Ordinal))
            {
                _handedToTheFirst.TrySetResult();
            }

            return ids;
        }

        public override async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken)
        {
            if (_claiming.TryAdd(worker, true) && _claiming.Count == 2)
            {
                _bothClaiming.TrySetResult();
            }

            await _handedToTheFirst.Task.WaitAsync(cancellationToken);
            return worker.EndsWith("/1", StringComparison.Ordinal) && Interlocked.Exchange(ref _failed, 1) == 0
                ? throw new Microsoft.Data.Sqlite.SqliteException("unable to open database file", 14)
                : await base.ClaimAsync(worker, max, claimDuration, cancellationToken);
        }

        public override Task ReleaseAsync(IReadOnlyCollection<long> ids, string worker, CancellationToken cancellationToken)
        {
            if (releaseFails && worker.EndsWith("/1", StringComparison.Ordinal))
            {
                _releaseFailed.TrySetResult();
                throw new Microsoft.Data.Sqlite.SqliteException("unable to open database file", 14);
            }

            return base.ReleaseAsync(ids, worker, cancellationToken);
        }
    }

    /// <summary>A store during whose storing of claimed mail the worker it is for stops, and which then cannot give the mail
    /// back (a store already disposed, say).</summary>
    private sealed class WorkerStopsWhileStoringStore(IOutboxStore inner, Action stopWorker) : ForwardingOutboxStore(inner)
    {
        public override async Task<IReadOnlyList<long>?> EnqueueClaimedAsync(IReadOnlyList<OutboxItem> items, string worker, TimeSpan claimDuration,
            CancellationToken cancellationToken)
        {
            var ids = await base.EnqueueClaimedAsync(items, worker, claimDuration, cancellationToken);
            stopWorker();
            return ids;
        }

        public override Task ReleaseAsync(IReadOnlyCollection<long> ids, string worker, CancellationToken cancellationToken) =>
            throw new ObjectDisposedException("the outbox store");
    }

    /// <summary>Queues a list of 100 mails: every one arrives once within 20 s, after one attempt, by the second worker.</summary>
    private static async Task SendAListAndAssertEachSentByTheSecondWorkerAsync(OutboxTestHost host, SmtpTestServer server)
    {
        var messages = Mails(100);

        var results = await host.Mailer.SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();
        var counts = await host.WaitUntilSettledAsync(100, TimeSpan.FromSeconds(20));

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal((100L, 0L), (counts.Sent, counts.Failed));
        AssertEachReceivedOnce(server, messages);
        foreach (var entry in await host.ListAllAsync())
        {
            Assert.Matches("/2$", Assert.Single(await host.Outbox.GetAttemptsAsync(entry.Id)).Worker);
        }
    }

    private static List<Message> Mails(int count) => Enumerable.Range(1, count).Select(Mail).ToList();

    private static async Task SendEachAsync(OutboxTestHost host, IEnumerable<Message> messages) => await SendEachAsync(host.Mailer, messages);

    private static async Task SendEachAsync(IMailer mailer, IEnumerable<Message> messages)
    {
        foreach (var message in messages)
        {
            await mailer.SendAsync(message);
        }
    }

    /// <summary>The server accepted each of <paramref name="messages"/> exactly once, and nothing else.</summary>
    private static void AssertEachReceivedOnce(SmtpTestServer server, IEnumerable<Message> messages)
    {
        var received = server.Messages.Select(m => m.MessageId).ToList();
        var twice = received.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(twice.Count == 0, $"Received more than once: {string.Join(", ", twice)}");
        Assert.Equal(messages.Select(m => m.MessageId).Order(), received.Order());
    }
}
