namespace MailMvc.Mail;

/// <summary>What happened to one message of <see cref="IMailer.SendManyAsync{TState}"/>.</summary>
/// <param name="Message">The message.</param>
/// <param name="Receipt">What became of it when it was taken (delivered, queued, suppressed or stopped); null on error.</param>
/// <param name="Error">Null when it was taken. Otherwise a <see cref="MailDeliveryException"/> (the server refused it,
/// or could not be reached), or the <see cref="ArgumentException"/>, <see cref="BadHeaderException"/> or
/// <see cref="FormatException"/> that said the message itself is wrong.</param>
public record MessageSendResult(Message Message, MailReceipt? Receipt, Exception? Error)
{
    /// <summary>True when the message was taken: delivered, queued in the outbox, or built and recorded with sending
    /// suppressed. False when it failed or an interceptor stopped it.</summary>
    public bool IsSent => Receipt is { Disposition: not MailDisposition.Stopped };
}
