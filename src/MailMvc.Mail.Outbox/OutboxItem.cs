namespace MailMvc.Mail.Outbox;

/// <summary>A mail as the outbox stores it: the MIME bytes as they go on the wire, and the envelope.</summary>
/// <param name="Id">The row id (0 before it is stored).</param>
/// <param name="MessageId">The Message-ID, for the outbox page and logs.</param>
/// <param name="Subject">The subject, for the outbox page.</param>
/// <param name="Sender">The envelope sender's address.</param>
/// <param name="Recipients">The envelope recipients, one address per line.</param>
/// <param name="Esmtp">The envelope's ESMTP parameters, as <c>MAIL parameter</c> and <c>RCPT parameter</c> lines; null when none.</param>
/// <param name="Mime">The message as it goes on the wire.</param>
/// <param name="Attempts">Attempts so far, the current one included once claimed.</param>
/// <param name="CreatedAt">When it was queued.</param>
public sealed record OutboxItem(
    long Id,
    string MessageId,
    string? Subject,
    string Sender,
    string Recipients,
    string? Esmtp,
    byte[] Mime,
    int Attempts,
    DateTimeOffset CreatedAt)
{
    /// <summary>Deliver no earlier than this (scheduled sending); null means as soon as possible.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>The W3C <c>traceparent</c> of the activity that queued the mail, so the delivery's trace links back to
    /// the request that sent it; null when no trace was recorded.</summary>
    public string? TraceParent { get; init; }

    /// <summary>True when <see cref="Mime"/> was found, as it was queued, to go out as it is: 7-bit with lines no transport
    /// re-wraps, each part already in a transfer encoding no transport changes. Delivery through MailMvc's own SMTP or
    /// pickup transports then sends the stored bytes without parsing them into parts again. False (the default, and for
    /// mail stored before outbox schema version 6) means it is parsed as it is delivered, and sent as stored only if the
    /// same check passes then; a store of your own that does not keep this pays that parse on every attempt.</summary>
    public bool SendAsStored { get; init; }
}
