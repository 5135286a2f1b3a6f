using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests.Transport;

/// <summary>A transport of the app's own whose batch session breaks its contract: the bulk run ends with a clear error
/// instead of waiting for ever with the caller's sequence half read.</summary>
public sealed class BatchSessionFaultTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task SendManyAsync_BatchSessionReturningNoReceipts_RunEndsSayingWhatTheSessionReturned(int connections)
    {
        var transport = new ReceiptlessBatchTransport();
        var mailer = new Mailer(new MailOptions { DefaultSender = "from@example.com", SuppressSend = false }, transport);
        var results = 0;

        // Far more than the run holds ahead of its connections: the threads reading and building them fill their queues.
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in mailer.SendManyAsync(Messages(5000), connections))
            {
                results++;
            }
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("returned 0 receipt(s) for", error.Message, StringComparison.Ordinal);
        Assert.Contains("IMailBatchSession.SendBatchAsync returns one receipt per message", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, results);
    }

    private static async IAsyncEnumerable<Message> Messages(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new Message($"Bulk {i}", [$"user{i}@example.com"], body: "Hi");
        }
    }

    private sealed class ReceiptlessBatchTransport : IMailTransport, IMailBatchSession
    {
        public string Description => "receiptless batch transport";

        public bool IsUsable => true;

        public int MaxBatchSize => 8;

        public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailTransportSession>(this);

        public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken) =>
            Task.FromResult(new TransportReceipt("250 sent"));

        public Task<IReadOnlyList<TransportReceipt>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<TransportReceipt>>([]);

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
