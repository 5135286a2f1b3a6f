namespace MailMvc.Mail;

/// <summary>An open connection from <see cref="IMailer.ConnectAsync"/> (Flask-Mail's <c>Connection</c>).
/// Not safe for concurrent use: send one message at a time.</summary>
public interface IMailConnection : IMessageSender, IAsyncDisposable
{
    /// <summary>Messages sent through this connection scope so far.</summary>
    int SentCount { get; }

    /// <summary>Sends one message with another envelope sender (the bounce address in MAIL FROM) than its From header,
    /// Flask-Mail's <c>Connection.send(message, envelope_from)</c>; see <see cref="IMessageSender.SendAsync"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="envelopeFrom">The envelope sender; null means the message's sender.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="BadHeaderException"><paramref name="envelopeFrom"/> or a header contains a line break.</exception>
    Task<MailReceipt> SendAsync(Message message, EmailAddress? envelopeFrom, CancellationToken cancellationToken = default);
}
