using System.Globalization;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Integration;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>
/// Scheduled sending (<see cref="Message.NotBefore"/>) through the outbox to the real SMTP test server: the mail waits
/// in the database until its time, across a restart, and a cancelled one is never sent. Runs once per database:
/// <see cref="SqliteOutboxScheduledSendingTests"/> and <see cref="PostgresOutboxScheduledSendingTests"/>.
/// </summary>
public abstract class OutboxScheduledSendingTests
{
    private static readonly TimeSpan s_ahead = TimeSpan.FromSeconds(5);

    private readonly OutboxDatabase _database;

    protected OutboxScheduledSendingTests(OutboxDatabase database) => _database = database;

    [Fact]
    public async Task ScheduledMail_FiveSecondsAheadWithARestartInBetween_ArrivesNoEarlierAndTheCancelledOneNever()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await _database.CreateOutboxAsync();
        var at = DateTimeOffset.UtcNow + s_ahead;
        var kept = new Message("Scheduled", ["kept@example.com"], body: "Hi") { NotBefore = at };
        var cancelled = new Message("Cancelled", ["cancelled@example.com"], body: "Hi") { NotBefore = at };

        await using (var first = await OutboxTestHost.StartAsync(_database.Provider, outbox, server.Port))
        {
            var receipt = await first.Mailer.SendAsync(kept);
            var toCancel = await first.Mailer.SendAsync(cancelled);
            Assert.Equal((MailDisposition.Queued, at), (receipt.Disposition, receipt.NotBefore));

            Assert.True(await first.Outbox.CancelAsync(QueueId(toCancel)));
            Assert.False(await first.Outbox.CancelAsync(QueueId(toCancel)));
            var scheduled = Assert.Single(await first.Outbox.ListScheduledAsync(10));
            Assert.Equal((kept.MessageId, at.ToUnixTimeMilliseconds()), (scheduled.MessageId, scheduled.NotBefore?.ToUnixTimeMilliseconds()));
            var counts = await first.Outbox.GetCountsAsync();
            Assert.Equal((1L, 1L, 1L), (counts.Queued, counts.Scheduled, counts.Cancelled));
            // Waiting for its time is not being late: nothing counts as the oldest waiting mail yet.
            Assert.Null(counts.OldestWaitingSince);
        }

        Assert.Empty(server.Messages);
        Assert.True(DateTimeOffset.UtcNow < at, "The first host ran past the scheduled time; the restart did not happen in between.");

        await using (var second = await OutboxTestHost.StartAsync(_database.Provider, outbox, server.Port))
        {
            var counts = await second.WaitUntilSettledAsync(1, TimeSpan.FromSeconds(30));
            Assert.Equal((1L, 0L, 1L), (counts.Sent, counts.Failed, counts.Cancelled));
            var sent = Assert.Single(await second.Outbox.ListAsync(OutboxStatus.Sent, 10));
            var attempt = Assert.Single(await second.Outbox.GetAttemptsAsync(sent.Id));
            Assert.Equal(("sent", $"127.0.0.1:{server.Port}"), (attempt.Outcome, attempt.Server));
            Assert.Equal(OutboxStatus.Cancelled, (await second.Outbox.ListAsync(OutboxStatus.Cancelled, 10)).Single().Status);
        }

        var received = Assert.Single(server.Messages);
        Assert.Equal(kept.MessageId, received.MessageId);
        Assert.True(received.ReceivedAt >= at, $"It arrived at {received.ReceivedAt:O}, before its time {at:O}.");
        Assert.True(received.ReceivedAt < at + TimeSpan.FromSeconds(5), $"It arrived at {received.ReceivedAt:O}, long after its time {at:O}.");
        Assert.Equal(at.ToUnixTimeSeconds(), received.Parse().Date.ToUnixTimeSeconds());
    }

    [Fact]
    public async Task Cancel_MailAlreadySent_ReturnsFalseAndKeepsItSent()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port);
        var receipt = await host.Mailer.SendAsync(new Message("Now", ["now@example.com"], body: "Hi"));
        await host.WaitUntilSettledAsync(1);

        var cancelled = await host.Outbox.CancelAsync(QueueId(receipt));

        Assert.False(cancelled);
        Assert.Equal(OutboxStatus.Sent, (await host.Outbox.GetAsync(QueueId(receipt)))?.Status);
        Assert.Single(server.Messages);
    }

    private static long QueueId(MailReceipt receipt) => long.Parse(receipt.QueueId!, CultureInfo.InvariantCulture);
}

public sealed class SqliteOutboxScheduledSendingTests(SqliteOutboxDatabase database)
    : OutboxScheduledSendingTests(database), IClassFixture<SqliteOutboxDatabase>;

public sealed class PostgresOutboxScheduledSendingTests(PostgresOutboxDatabase database)
    : OutboxScheduledSendingTests(database), IClassFixture<PostgresOutboxDatabase>;
