using System.Runtime.CompilerServices;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Integration;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The outbox end to end in a SQLite file.</summary>
public sealed class SqliteOutboxDeliveryTests : OutboxDeliveryTests, IClassFixture<SqliteOutboxDatabase>
{
    private readonly SqliteOutboxDatabase _database;

    public SqliteOutboxDeliveryTests(SqliteOutboxDatabase database) : base(database) => _database = database;

    // SQLite has one writer at a time: two hosts take turns, and one may well deliver everything.
    protected override bool BothHostsMustDeliver => false;

    [Fact]
    public async Task SendManyAsync_QueuedWhileABatchWaitsForTheDatabase_TheCallersNextBatchIsPreparedMeanwhile()
    {
        var outbox = await _database.CreateOutboxAsync();
        var (mailer, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, SmtpTestServer.FindClosedPort());
        await using (services)
        {
            await services.Store.EnsureSchemaAsync(CancellationToken.None);
            var handedOver = 0;
            Task<List<MessageSendResult>> sending;
            // Another process writing to the file: the first batch's transaction waits for it (SQLite's busy timeout).
            await using (var otherWriter = await _database.OpenAsync(outbox))
            {
                await using (var begin = otherWriter.CreateCommand())
                {
                    begin.CommandText = "BEGIN IMMEDIATE";
                    await begin.ExecuteNonQueryAsync();
                }

                sending = mailer.SendManyAsync(CountedMails(400, () => Interlocked.Increment(ref handedOver))).ToListAsync().AsTask();
                await WaitUntilSteadyAsync(() => Volatile.Read(ref handedOver));
                await using var rollback = otherWriter.CreateCommand();
                rollback.CommandText = "ROLLBACK";
                await rollback.ExecuteNonQueryAsync();
            }

            var waitingForTheDatabase = Volatile.Read(ref handedOver);
            var results = await sending.WaitAsync(TimeSpan.FromSeconds(30));

            Assert.All(results, r => Assert.Equal(MailDisposition.Queued, r.Receipt?.Disposition));
            // A transaction stamps all its mails with one time: the first one's are the batch that waited.
            var entries = await services.Store.ListAsync(null, 1000, CancellationToken.None);
            Assert.Equal(400, entries.Count);
            var firstBatch = entries.Count(e => e.CreatedAt == entries.Min(m => m.CreatedAt));
            // Beyond the waiting batch, a whole batch more was read and prepared, ready to go in the next transaction
            // (before, the queue between them held 16, and the caller's mails stopped there).
            // The outbox's batches are 32 mails.
            Assert.True(waitingForTheDatabase - firstBatch >= 32,
                $"{waitingForTheDatabase} mails handed over while a batch of {firstBatch} waited for the database.");
        }
    }

    private static async IAsyncEnumerable<Message> CountedMails(int count, Action handingOver, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 1; i <= count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            handingOver();
            yield return new Message($"Outbox {i}", [$"user{i}@example.com"], body: "Hi");
            await Task.Yield();
        }
    }

    /// <summary>Waits until <paramref name="read"/> has not changed for half a second (at most 20 s).</summary>
    private static async Task WaitUntilSteadyAsync(Func<int> read)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        var last = -1;
        var steadySince = DateTime.UtcNow;
        while (DateTime.UtcNow < deadline)
        {
            var now = read();
            if (now != last)
            {
                (last, steadySince) = (now, DateTime.UtcNow);
            }
            else if (DateTime.UtcNow - steadySince > TimeSpan.FromMilliseconds(500))
            {
                return;
            }

            await Task.Delay(25);
        }
    }
}
