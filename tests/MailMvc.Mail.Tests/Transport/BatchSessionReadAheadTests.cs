using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests.Transport;

/// <summary>A transport of the app's own that takes batches of any size still gets a sequence read only a bounded
/// way ahead of what it has taken: the rest is not prepared and held in memory.</summary>
public sealed class BatchSessionReadAheadTests
{
    [Fact]
    public async Task SendManyAsync_BatchSessionWithoutABatchLimitAndASlowBatch_CallerSequenceReadABoundedWayAhead()
    {
        var transport = new GatedBatchTransport();
        var mailer = new Mailer(new MailOptions { DefaultSender = "from@example.com", SuppressSend = false }, transport);
        var yielded = 0;

        async IAsyncEnumerable<Message> Messages()
        {
            for (var i = 0; i < 5000; i++)
            {
                await Task.Yield();
                Interlocked.Increment(ref yielded);
                yield return new Message($"Bulk {i}", [$"user{i}@example.com"], body: "Hi");
            }
        }

        var sending = Task.Run(async () =>
        {
            var results = 0;
            await foreach (var result in mailer.SendManyAsync(Messages()))
            {
                Assert.True(result.IsSent, result.Error?.Message);
                results++;
            }

            return results;
        });
        var firstBatch = await transport.FirstBatch.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(500);
        var readAhead = Volatile.Read(ref yielded) - firstBatch;
        transport.Gate.SetResult();

        Assert.Equal(5000, await sending.WaitAsync(TimeSpan.FromSeconds(30)));
        // What the run holds ahead of a batch session: 128 prepared, 32 read for the build thread, 16 taken by it, and
        // the one the reader has in hand (162 measured).
        Assert.True(readAhead <= 180, $"{readAhead} messages were read beyond the batch being sent.");
    }

    private sealed class GatedBatchTransport : IMailTransport, IMailBatchSession
    {
        public TaskCompletionSource<int> FirstBatch { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Gate { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public string Description => "gated batch transport";

        public bool IsUsable => true;

        public int MaxBatchSize => int.MaxValue;

        public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailTransportSession>(this);

        public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken) =>
            Task.FromResult(new TransportReceipt("250 sent"));

        public async Task<IReadOnlyList<TransportReceipt>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
        {
            FirstBatch.TrySetResult(messages.Count);
            await Gate.Task.WaitAsync(cancellationToken);
            return messages.Select(_ => new TransportReceipt("250 sent")).ToList();
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
