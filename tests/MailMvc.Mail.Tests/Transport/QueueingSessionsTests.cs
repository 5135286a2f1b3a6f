using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests.Transport;

/// <summary>A bulk send through a transport that queues (a queue of the app's own, through the public seam) opens as
/// many sessions as the queue says it can store through at once, never more than the connections asked for: its own
/// workers deliver in parallel.</summary>
public sealed class QueueingSessionsTests
{
    [Theory]
    [InlineData(null, 4, 1)]
    [InlineData(2, 4, 2)]
    [InlineData(2, 1, 1)]
    [InlineData(8, 3, 3)]
    [InlineData(0, 4, 1)]
    public async Task SendManyAsync_QueueingTransport_OpensTheFewerOfItsStoringSessionsAndTheConnections(
        int? storingSessions, int connections, int expected)
    {
        var transport = new SlowQueue(storingSessions);
        var mailer = new Mailer(new MailOptions { DefaultSender = "from@example.com", SuppressSend = false }, transport);
        var messages = Enumerable.Range(0, 200).Select(i => new Message($"Queued {i}", [$"user{i}@example.com"], body: "Hi"));

        var results = await mailer.SendManyAsync(messages.ToAsyncEnumerable(), connections).ToListAsync();

        Assert.All(results, r => Assert.Equal(MailDisposition.Queued, r.Receipt?.Disposition));
        Assert.Equal(200, results.Count);
        Assert.Equal(expected, transport.Opened);
        Assert.Equal(expected, transport.MostAtOnce);
    }

    /// <summary>Queues nothing for real; each store takes a moment, so sessions that can overlap do.</summary>
    private sealed class SlowQueue(int? storingSessions) : IQueueingMailTransport
    {
        private readonly AtOnceCounter _storing = new();
        private int _opened;

        public int Opened => Volatile.Read(ref _opened);

        public int MostAtOnce => _storing.Most;

        public IMailTransport DeliveryTransport { get; } = new CapturingTransport();

        // Unset: the interface's default.
        public int StoringSessions => storingSessions ?? ((IQueueingMailTransport)new DefaultQueue()).StoringSessions;

        public string Description => "a slow queue";

        public bool IsUsable => true;

        public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _opened);
            return Task.FromResult<IMailTransportSession>(new Session(this));
        }

        private sealed class Session(SlowQueue queue) : IMailTransportSession
        {
            public bool IsUsable => true;

            public async Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
            {
                queue._storing.Enter();
                try
                {
                    await Task.Delay(5, cancellationToken);
                    return new TransportReceipt("queued") { QueueId = message.MessageId };
                }
                finally
                {
                    queue._storing.Exit();
                }
            }

            public ValueTask DisposeAsync() => ValueTask.CompletedTask;
        }
    }

    private sealed class DefaultQueue : IQueueingMailTransport
    {
        public IMailTransport DeliveryTransport => throw new NotSupportedException();

        public string Description => "a queue that keeps the default";

        public bool IsUsable => true;

        public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) => throw new NotSupportedException();
    }
}
