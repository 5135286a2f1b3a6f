using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>The SMTP envelope of one message: who it is from, everyone it goes to, and the ESMTP options.</summary>
internal sealed record Envelope(
    MailboxAddress Sender,
    IReadOnlyList<MailboxAddress> Recipients,
    EsmtpOptions Options);
