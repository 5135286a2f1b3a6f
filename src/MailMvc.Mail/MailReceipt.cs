namespace MailMvc.Mail;

/// <summary>What happened to one message that <see cref="IMessageSender.SendAsync"/> took: delivered, queued,
/// suppressed or stopped, with the facts a caller shows or logs.</summary>
public sealed record MailReceipt
{
    /// <summary>The message's Message-ID, without angle brackets.</summary>
    public required string MessageId { get; init; }

    /// <summary>Delivered, queued, suppressed or stopped.</summary>
    public required MailDisposition Disposition { get; init; }

    /// <summary>The envelope recipients the message went (or is queued) to, each once; empty when it was stopped.</summary>
    public IReadOnlyList<string> Recipients { get; init; } = [];

    /// <summary>The transport's reply (for SMTP the server's answer to the message, for the pickup directory the file).</summary>
    public string? Reply { get; init; }

    /// <summary>The server that took it (for SMTP <c>host:port</c>), when the transport names one.</summary>
    public string? Server { get; init; }

    /// <summary>The id the queue gave it when <see cref="Disposition"/> is <see cref="MailDisposition.Queued"/>
    /// (the outbox's row id).</summary>
    public string? QueueId { get; init; }

    /// <summary>When a queued message is scheduled to go (<see cref="Message.NotBefore"/>, while still ahead); null means as soon as it can.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>Why an interceptor stopped it, when <see cref="Disposition"/> is <see cref="MailDisposition.Stopped"/>; whom
    /// the suppression list held back and since when, when it is <see cref="MailDisposition.Suppressed"/> for that reason
    /// (null when SuppressSend is the reason).</summary>
    public string? Reason { get; init; }

    /// <summary>The SMTP exchange of this delivery (secrets redacted, content summarised) when Debug is on.</summary>
    public string? Transcript { get; init; }
}
