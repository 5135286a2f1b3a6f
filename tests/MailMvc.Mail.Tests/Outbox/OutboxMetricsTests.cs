using System.Diagnostics.Metrics;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The outbox's figures through System.Diagnostics.Metrics, as a metrics exporter would read them.</summary>
public sealed class OutboxMetricsTests(SqliteOutboxDatabase database) : IClassFixture<SqliteOutboxDatabase>
{
    [Fact]
    public async Task Delivery_ThreeMailsOneRefused_CountsEnqueuedSentFailedAndTheDelay()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "refused@example.com" });
        await using var host = await OutboxTestHost.StartAsync(database.Provider, await database.CreateOutboxAsync(), server.Port);
        // The host's meter factory scopes the meter to this host: other tests' outboxes are not counted.
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var enqueued = new MetricCollector<long>(meters, "MailMvc.Mail", "mailmvc.outbox.enqueued");
        using var sent = new MetricCollector<long>(meters, "MailMvc.Mail", "mailmvc.outbox.sent");
        using var failed = new MetricCollector<long>(meters, "MailMvc.Mail", "mailmvc.outbox.failed");
        using var delay = new MetricCollector<double>(meters, "MailMvc.Mail", "mailmvc.outbox.delivery_delay");

        foreach (var to in new[] { "one@example.com", "refused@example.com", "two@example.com" })
        {
            await host.Mailer.SendAsync(new Message("Metrics", [to], body: "Hi"));
        }

        await host.WaitUntilSettledAsync(3);
        // A worker counts an outcome just after recording it, so the figures may trail the outbox by a moment.
        var wait = TimeSpan.FromSeconds(10);
        await enqueued.WaitForMeasurementsAsync(3, wait);
        await sent.WaitForMeasurementsAsync(2, wait);
        await failed.WaitForMeasurementsAsync(1, wait);
        await delay.WaitForMeasurementsAsync(2, wait);

        Assert.Equal(3, enqueued.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(2, sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, failed.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(2, delay.GetMeasurementSnapshot().Count);
        Assert.All(delay.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 30));
    }

    [Fact]
    public async Task Maintenance_DueMailTheServerCannotTakeAndScheduledMail_GaugesShowTheBacklogReadWithoutCountingEveryMail()
    {
        BacklogWatchingStore? watching = null;
        // No server listens: the due mail stays queued between attempts.
        await using var host = await OutboxTestHost.StartAsync(database.Provider, await database.CreateOutboxAsync(), SmtpTestServer.FindClosedPort(),
            start: false, wrapStore: (_, store) => watching = new BacklogWatchingStore(store));
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var depth = new MetricCollector<long>(meters, "MailMvc.Mail", "mailmvc.outbox.depth");
        using var oldestAge = new MetricCollector<double>(meters, "MailMvc.Mail", "mailmvc.outbox.oldest_age");
        var later = DateTimeOffset.UtcNow.AddHours(1);
        var first = DateTimeOffset.UtcNow;
        await host.Mailer.SendAsync(new Message("Due", ["due@example.com"], body: "Hi"));
        await host.Mailer.SendAsync(new Message("Later 1", ["later1@example.com"], body: "Hi") { NotBefore = later });
        await host.Mailer.SendAsync(new Message("Later 2", ["later2@example.com"], body: "Hi") { NotBefore = later });
        var queuedBy = DateTimeOffset.UtcNow;
        await Task.Delay(300);
        var startedAt = DateTimeOffset.UtcNow;

        // The maintenance loop reads the backlog as the host starts, then every 5 seconds.
        await host.StartAsync();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (depth.LastMeasurement?.Value != 3 && clock.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
            depth.RecordObservableInstruments();
        }

        oldestAge.RecordObservableInstruments();
        var sinceFirst = DateTimeOffset.UtcNow - first;
        Assert.Equal(3, depth.LastMeasurement?.Value);
        // The due mail has waited since it was queued (at least the time before the start); the scheduled ones do not wait yet.
        Assert.InRange(oldestAge.LastMeasurement!.Value, (startedAt - queuedBy).TotalSeconds, sinceFirst.TotalSeconds);
        Assert.True(watching!.BacklogReads > 0, "The maintenance loop did not read the backlog.");
        Assert.Equal(0, watching.CountReads);
    }

    /// <summary>Counts the outbox's reads of its backlog and of every state's counts.</summary>
    private sealed class BacklogWatchingStore(IOutboxStore inner) : ForwardingOutboxStore(inner), IOutboxStore
    {
        private int _backlogReads;
        private int _countReads;

        public int BacklogReads => Volatile.Read(ref _backlogReads);

        public int CountReads => Volatile.Read(ref _countReads);

        public Task<OutboxBacklog> GetBacklogAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _backlogReads);
            return Inner.GetBacklogAsync(cancellationToken);
        }

        public override Task<OutboxCounts> GetCountsAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _countReads);
            return base.GetCountsAsync(cancellationToken);
        }
    }
}
