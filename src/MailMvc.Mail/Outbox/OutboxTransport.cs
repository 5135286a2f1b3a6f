using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Outbox;

/// <summary>The transport of queued mode: "sending" stores the mail in the outbox and wakes a delivery worker.</summary>
internal sealed class OutboxTransport : IMailTransport, IMailTransportSession
{
    private readonly OutboxRuntime _outbox;
    private readonly string _deliveredBy;

    public OutboxTransport(OutboxRuntime outbox, string deliveredBy)
    {
        _outbox = outbox;
        _deliveredBy = deliveredBy;
    }

    public OutboxRuntime Outbox => _outbox;

    public string Description => $"the outbox ({_outbox.Description}), delivered in the background to {_deliveredBy}";

    public bool IsUsable => true;

    public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailTransportSession>(this);

    public async Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        var id = await _outbox.EnqueueAsync([OutboxRuntime.ToItem(message, envelope)], cancellationToken).ConfigureAwait(false);
        return new TransportReceipt($"queued in the outbox as {id[0]}", null);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
