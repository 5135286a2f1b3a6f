namespace MailMvc.Mail;

/// <summary>What became of one sent message (<see cref="MailReceipt.Disposition"/>).</summary>
public enum MailDisposition
{
    /// <summary>The transport delivered it: the SMTP server accepted it, or it was written to the pickup directory.</summary>
    Delivered,

    /// <summary>It was stored for later delivery (the outbox); <see cref="MailReceipt.QueueId"/> names it.</summary>
    Queued,

    /// <summary>Nothing was sent: <see cref="MailOptions.SuppressSend"/> is on (the message was still recorded and
    /// dispatched), or every recipient is on the <see cref="Suppression.ISuppressionList"/> (<see cref="MailReceipt.Reason"/>
    /// says whom and since when, such as "ada@example.com unsubscribed on 2026-05-01 09:12 UTC"; nothing was dispatched).</summary>
    Suppressed,

    /// <summary>An <see cref="Interception.IMailInterceptor"/> stopped it; <see cref="MailReceipt.Reason"/> says why.</summary>
    Stopped,
}
