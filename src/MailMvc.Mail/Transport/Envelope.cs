using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>
/// Whom one message is from and to, as the transport sees it: the envelope, not the headers (Bcc recipients are
/// here and in no header). Transport-neutral; an SMTP transport sends <see cref="MailParameters"/> with MAIL FROM
/// and <see cref="RecipientParameters"/> with each RCPT TO, other transports may ignore them.
/// </summary>
/// <param name="Sender">The envelope sender (SMTP's MAIL FROM, the bounce address).</param>
/// <param name="Recipients">Everyone the message goes to, each once.</param>
public sealed record Envelope(MailboxAddress Sender, IReadOnlyList<MailboxAddress> Recipients)
{
    /// <summary>ESMTP parameters for MAIL FROM, Flask-Mail's <c>mail_options</c> (for example <c>RET=HDRS</c>).</summary>
    public IReadOnlyList<string> MailParameters { get; init; } = [];

    /// <summary>ESMTP parameters for every RCPT TO, Flask-Mail's <c>rcpt_options</c> (for example <c>NOTIFY=FAILURE</c>).</summary>
    public IReadOnlyList<string> RecipientParameters { get; init; } = [];

    /// <summary>Deliver no earlier than this (<see cref="Message.NotBefore"/>); null means now. Only an
    /// <see cref="IQueueingMailTransport"/> is handed a time still ahead: it must keep the message until then.</summary>
    public DateTimeOffset? NotBefore { get; init; }
}
