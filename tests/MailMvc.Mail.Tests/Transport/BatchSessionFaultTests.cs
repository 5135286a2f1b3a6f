using System.Runtime.CompilerServices;
using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests.Transport;

/// <summary>A transport of the app's own that breaks its contract: the bulk run says what went wrong, to each message or
/// as the run's end, instead of waiting for ever with the caller's sequence half read.</summary>
public sealed class BatchSessionFaultTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task SendManyAsync_BatchSessionReturningNoReceipts_EachMailReportedAsUnknownAndNotRetried(int connections)
    {
        var transport = new FaultyBatchTransport();
        var mailer = new Mailer(new MailOptions { DefaultSender = "from@example.com", SuppressSend = false }, transport);

        var results = await mailer.SendManyAsync(Messages(200), connections).ToListAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));

        // Most go in batches; a mail a connection finds alone goes by SendAsync, which answers as it should.
        Assert.Equal(200, results.Count);
        Assert.True(transport.Batched > 0, "No mail went in a batch.");
        Assert.Equal(200, transport.Batched + transport.Single);
        Assert.Equal(transport.Single, results.Count(r => r.IsSent));
        Assert.All(results.Where(r => !r.IsSent), result =>
        {
            var error = Assert.IsType<MailDeliveryException>(result.Error);
            Assert.False(error.IsTransient, "Sent again, a mail the transport may have delivered could arrive twice.");
            Assert.Contains("returned 0 receipt(s) for a batch of", error.Message, StringComparison.Ordinal);
            Assert.Contains("whether this one was delivered is unknown", error.Message, StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(1, false)]
    [InlineData(2, false)]
    [InlineData(1, true)]
    [InlineData(2, true)]
    public async Task SendManyAsync_SessionThrowingWhereItMayNot_RunEndsWithItsFault(int connections, bool callerWaitsForResults)
    {
        // Its MaxBatchSize throws: no send thread can go on. Far more messages than the run holds ahead of its connections,
        // or a caller that hands over the next only once an earlier one has its result (as a bulk list does).
        var transport = new FaultyBatchTransport { BatchSizeFault = new NotImplementedException("MaxBatchSize is not written yet.") };
        var mailer = new Mailer(new MailOptions { DefaultSender = "from@example.com", SuppressSend = false }, transport);
        using var window = new SemaphoreSlim(4);
        var messages = callerWaitsForResults ? Windowed(5000, window) : Messages(5000);

        var error = await Assert.ThrowsAsync<NotImplementedException>(async () =>
        {
            await foreach (var _ in mailer.SendManyAsync(messages, connections))
            {
                window.Release();
            }
        }).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("MaxBatchSize is not written yet.", error.Message);
    }

    private static async IAsyncEnumerable<Message> Messages(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await Task.Yield();
            yield return new Message($"Bulk {i}", [$"user{i}@example.com"], body: "Hi");
        }
    }

    private static async IAsyncEnumerable<Message> Windowed(int count, SemaphoreSlim window, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        for (var i = 0; i < count; i++)
        {
            await window.WaitAsync(cancellationToken);
            yield return new Message($"Bulk {i}", [$"user{i}@example.com"], body: "Hi");
        }
    }

    /// <summary>Takes batches and returns no receipt for them; with <see cref="BatchSizeFault"/>, throws that from
    /// <see cref="MaxBatchSize"/>.</summary>
    private sealed class FaultyBatchTransport : IMailTransport, IMailBatchSession
    {
        private int _batched;
        private int _single;

        public Exception? BatchSizeFault { get; init; }

        /// <summary>How many mails came in batches.</summary>
        public int Batched => Volatile.Read(ref _batched);

        /// <summary>How many mails came one by one.</summary>
        public int Single => Volatile.Read(ref _single);

        public string Description => "faulty batch transport";

        public bool IsUsable => true;

        public int MaxBatchSize => BatchSizeFault is { } fault ? throw fault : 8;

        public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailTransportSession>(this);

        public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _single);
            return Task.FromResult(new TransportReceipt("250 sent"));
        }

        public Task<IReadOnlyList<TransportReceipt>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref _batched, messages.Count);
            return Task.FromResult<IReadOnlyList<TransportReceipt>>([]);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
