namespace MailMvc.Mail;

/// <summary>Something that sends messages: an <see cref="IMailer"/> or an open <see cref="IMailConnection"/>.</summary>
public interface IMessageSender
{
    /// <summary>Sends one message: a mailer over a connection of its own, a connection over itself (reconnecting
    /// first when <see cref="MailOptions.MaxEmails"/> is reached). The interceptors run first; then the message is
    /// checked before any connection is opened, and gets its date and sender filled in.</summary>
    /// <returns>What became of it: delivered, queued, suppressed, or stopped by an interceptor.</returns>
    /// <exception cref="ArgumentException">The message has no recipients or no sender, or an unsupported ESMTP option.</exception>
    /// <exception cref="BadHeaderException">A header value contains a line break; nothing is sent.</exception>
    /// <exception cref="FormatException">An address is not a valid email address; nothing is sent.</exception>
    /// <exception cref="InvalidOperationException">The message is scheduled (<see cref="Message.NotBefore"/> ahead) but the
    /// transport sends at once: only the outbox keeps mail until later.</exception>
    /// <exception cref="MailDeliveryException">The server could not be reached or refused the message; see the subclasses.</exception>
    Task<MailReceipt> SendAsync(Message message, CancellationToken cancellationToken = default);
}
