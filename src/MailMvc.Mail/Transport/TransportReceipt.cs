namespace MailMvc.Mail.Transport;

/// <summary>What a transport says about one message it took.</summary>
/// <param name="Reply">The destination's final reply (for SMTP, the answer to the message data), or where the message went.</param>
/// <param name="Transcript">The SMTP exchange of this delivery when Debug is on, otherwise null.</param>
public sealed record TransportReceipt(string? Reply, string? Transcript = null)
{
    /// <summary>Set when the message was queued for later delivery rather than delivered (the outbox's row id):
    /// the send's <see cref="MailReceipt"/> then says <see cref="MailDisposition.Queued"/>.</summary>
    public string? QueueId { get; init; }

    /// <summary>The server that took the message (for SMTP <c>host:port</c>), when the transport names one.</summary>
    public string? Server { get; init; }
}
