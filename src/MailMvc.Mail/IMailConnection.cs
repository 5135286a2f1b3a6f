namespace MailMvc.Mail;

/// <summary>An open connection from <see cref="IMailer.ConnectAsync"/> (Flask-Mail's <c>Connection</c>).
/// Not safe for concurrent use: send one message at a time.</summary>
public interface IMailConnection : IAsyncDisposable
{
    /// <summary>Messages sent through this connection scope so far.</summary>
    int SentCount { get; }

    /// <summary>Sends one message, reconnecting first when <see cref="MailOptions.MaxEmails"/> is reached.</summary>
    /// <exception cref="ArgumentException">The message has no recipients or no sender, or an unsupported ESMTP option.</exception>
    /// <exception cref="BadHeaderException">A header value contains a line break; nothing is sent.</exception>
    /// <exception cref="FormatException">An address is not a valid email address; nothing is sent.</exception>
    /// <exception cref="MailDeliveryException">The server refused the message or the connection failed.</exception>
    Task SendAsync(Message message, CancellationToken cancellationToken = default);

    /// <summary>Builds a message from the arguments and sends it over this connection.</summary>
    /// <exception cref="MailDeliveryException">As for <see cref="SendAsync"/>.</exception>
    Task<Message> SendMessageAsync(
        string? subject = null,
        IEnumerable<string>? recipients = null,
        string? body = null,
        string? html = null,
        EmailAddress? sender = null,
        IEnumerable<string>? cc = null,
        IEnumerable<string>? bcc = null,
        EmailAddress? replyTo = null,
        CancellationToken cancellationToken = default);
}
