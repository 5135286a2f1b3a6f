using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Outbox;

/// <summary>The outbox around a transport: "sending" stores the mail (a batch in one transaction) and wakes a
/// delivery worker, which delivers it later through <see cref="DeliveryTransport"/>.</summary>
internal sealed class OutboxTransport : IQueueingMailTransport, IMailBatchSession, IDisposable
{
    // One durable commit (a sync to disk) per 32 mails. Larger batches sync less often, but hold every mail of the batch
    // (the caller's message, its MIME and its bytes) across the young collections that run while it fills and is stored:
    // with 100, bulk queueing promoted them into the oldest generation and the collector paused twice as long
    // (docs/benchmark.md, "Queued batches").
    internal const int BatchSize = 32;

    private readonly OutboxRuntime _outbox;

    public OutboxTransport(OutboxRuntime outbox, IMailTransport deliveryTransport)
    {
        _outbox = outbox;
        DeliveryTransport = deliveryTransport;
    }

    public IMailTransport DeliveryTransport { get; }

    public string Description => $"the outbox ({_outbox.Description}), delivered in the background to {DeliveryTransport.Description}";

    public bool IsUsable => true;

    public int MaxBatchSize => BatchSize;

    public int StoringSessions => _outbox.Store.StoringSessions;

    public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailTransportSession>(this);

    public async Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken) =>
        (await SendBatchAsync([new OutgoingMessage(message, envelope)], cancellationToken).ConfigureAwait(false))[0];

    public async Task<IReadOnlyList<TransportReceipt>> SendBatchAsync(IReadOnlyList<OutgoingMessage> messages, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        // The stored mails carry this span's context: their delivery attempts continue its trace.
        using var activity = OutboxTelemetry.Source.StartActivity("mail queue", System.Diagnostics.ActivityKind.Producer);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag(OutboxTelemetry.MessageCountTag, messages.Count);
            activity.SetTag(Telemetry.MailTelemetry.RecipientCountTag, messages.Sum(m => m.Envelope.Recipients.Count));
            if (messages.Count == 1)
            {
                activity.SetTag(Telemetry.MailTelemetry.MessageIdTag, messages[0].Message.MessageId);
            }
        }

        var ids = await _outbox.EnqueueAsync(messages.Select(m => OutboxRuntime.ToItem(m.Message, m.Envelope)).ToList(), cancellationToken)
            .ConfigureAwait(false);
        return ids.Select(id => new TransportReceipt($"queued in the outbox as {id}")
        {
            QueueId = id.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).ToList();
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    // Nothing to release; a container disposed synchronously must not fail on it.
    public void Dispose()
    {
    }
}
