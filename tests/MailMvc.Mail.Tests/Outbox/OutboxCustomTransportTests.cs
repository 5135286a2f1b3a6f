using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Transport;
using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>
/// The outbox wraps whatever transport is registered, here one written in this test project as a user would write
/// one (an HTTP API provider, say): queued mails are delivered through it, and its temporary failures are retried.
/// </summary>
public abstract class OutboxCustomTransportTests
{
    private readonly OutboxDatabase _database;

    protected OutboxCustomTransportTests(OutboxDatabase database) => _database = database;

    [Fact]
    public async Task Delivery_UserTransportFailingTwiceForEachMail_EachMailDeliveredThroughItOnTheThirdAttempt()
    {
        var transport = new FlakyApiTransport(failuresPerMail: 2);
        var outbox = await _database.CreateOutboxAsync();
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, outbox, smtpPort: 1, transport: _ => transport);
        var messages = Enumerable.Range(1, 5)
            .Select(i => new Message($"Through the API {i}", [$"user{i}@example.com"], body: "Hi", sender: "app@example.com"))
            .ToList();

        var receipts = new List<MailReceipt>();
        foreach (var message in messages)
        {
            receipts.Add(await host.Mailer.SendAsync(message));
        }

        var counts = await host.WaitUntilSettledAsync(5);

        Assert.All(receipts, r => Assert.Equal(MailDisposition.Queued, r.Disposition));
        Assert.Equal((5L, 0L), (counts.Sent, counts.Failed));
        Assert.Equal(messages.Select(m => m.MessageId).Order(), transport.Delivered.Select(d => d.MessageId).Order());
        Assert.All(await host.ListAllAsync(), e => Assert.Equal((3, "202 accepted by the API"), (e.Attempts, e.LastReply)));
        var attempts = await host.Outbox.GetAttemptsAsync((await host.ListAllAsync())[0].Id);
        Assert.Equal(["retry", "retry", "sent"], attempts.Select(a => a.Outcome));
        Assert.Equal("429 slow down", attempts[0].Reply);
    }

    [Fact]
    public async Task Delivery_UserSessionThrowsAsItIsClosed_EveryMailDeliveredOnItsFirstAttempt()
    {
        var transport = new ThrowingOnCloseTransport();
        var outbox = await _database.CreateOutboxAsync();
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, outbox, smtpPort: 1, transport: _ => transport);

        for (var i = 1; i <= 4; i++)
        {
            await host.Mailer.SendAsync(new Message($"One a session {i}", [$"user{i}@example.com"], body: "Hi", sender: "app@example.com"));
        }

        var counts = await host.WaitUntilSettledAsync(4);

        // Each session takes one mail, and closing it throws: the failure is no mail's, so none is put off.
        Assert.Equal((4L, 0L), (counts.Sent, counts.Failed));
        Assert.All(await host.ListAllAsync(), e => Assert.Equal(1, e.Attempts));
        Assert.True(transport.Closed >= 3, $"{transport.Closed} sessions closed");
    }

    /// <summary>A transport of the user's own: refuses each mail with a temporary error a few times, then takes it.</summary>
    private sealed class FlakyApiTransport(int failuresPerMail) : IMailTransport, IMailTransportSession
    {
        private readonly Dictionary<string, int> _failures = [];
        private readonly List<MimeMessage> _delivered = [];
        private readonly Lock _lock = new();

        public IReadOnlyList<MimeMessage> Delivered
        {
            get
            {
                lock (_lock)
                {
                    return _delivered.ToList();
                }
            }
        }

        public string Description => "a flaky HTTP API";

        public bool IsUsable => true;

        public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailTransportSession>(this);

        public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
        {
            lock (_lock)
            {
                var id = message.MessageId ?? "";
                var failed = _failures.GetValueOrDefault(id);
                if (failed < failuresPerMail)
                {
                    _failures[id] = failed + 1;
                    throw new MailTemporaryFailureException("The API asked us to slow down.", "429 slow down");
                }

                _delivered.Add(message);
                return Task.FromResult(new TransportReceipt("202 accepted by the API"));
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}

public sealed class SqliteOutboxCustomTransportTests(SqliteOutboxDatabase database)
    : OutboxCustomTransportTests(database), IClassFixture<SqliteOutboxDatabase>;

public sealed class PostgresOutboxCustomTransportTests(PostgresOutboxDatabase database)
    : OutboxCustomTransportTests(database), IClassFixture<PostgresOutboxDatabase>;
