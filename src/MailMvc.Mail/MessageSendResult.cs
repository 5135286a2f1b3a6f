namespace MailMvc.Mail;

/// <summary>What happened to one message of <see cref="IMailer.SendManyAsync"/>.</summary>
/// <param name="Message">The message.</param>
/// <param name="Error">Null when it was sent. Otherwise a <see cref="MailDeliveryException"/> (the server refused it,
/// or could not be reached), or the <see cref="ArgumentException"/>, <see cref="BadHeaderException"/> or
/// <see cref="FormatException"/> that said the message itself is wrong.</param>
public sealed record MessageSendResult(Message Message, Exception? Error)
{
    /// <summary>True when the server accepted the message, or in queued mode the outbox stored it (or sending is suppressed).</summary>
    public bool IsSent => Error is null;
}
