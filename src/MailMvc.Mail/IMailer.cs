namespace MailMvc.Mail;

/// <summary>
/// Sends mail, Flask-Mail's <c>Mail</c>: one message with <see cref="SendAsync"/>, many over one
/// connection with <see cref="ConnectAsync"/>. Register it with
/// <see cref="MailServiceCollectionExtensions.AddMail"/>.
/// </summary>
public interface IMailer
{
    /// <summary>Raised after each message is delivered, or would have been when sending is suppressed
    /// (Flask-Mail's <c>email_dispatched</c> signal).</summary>
    event EventHandler<MessageDispatchedEventArgs>? Dispatched;

    /// <summary>The settings in force, defaults resolved.</summary>
    MailOptions Options { get; }

    /// <summary>Where mail goes: SMTP, the pickup directory, or nowhere when suppressed.</summary>
    MailDeliveryMethod DeliveryMethod { get; }

    /// <summary>Sends one message over a connection of its own.</summary>
    /// <exception cref="ArgumentException">The message has no recipients or no sender, or an unsupported ESMTP option.</exception>
    /// <exception cref="BadHeaderException">A header value contains a line break; nothing is sent.</exception>
    /// <exception cref="FormatException">An address is not a valid email address; nothing is sent.</exception>
    /// <exception cref="MailDeliveryException">The server could not be reached or refused the message; see the subclasses.</exception>
    Task SendAsync(Message message, CancellationToken cancellationToken = default);

    /// <summary>Builds a message from the arguments and sends it, Flask-Mail's <c>send_message(**kwargs)</c>.</summary>
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

    /// <summary>
    /// Opens a connection that sends many messages and reconnects after <see cref="MailOptions.MaxEmails"/>
    /// of them. Dispose it to close the connection (<c>await using</c>).
    /// </summary>
    /// <exception cref="MailDeliveryException">The server could not be reached, or TLS or the login failed.</exception>
    Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>Records every message dispatched from now until the recorder is disposed, Flask-Mail's
    /// <c>record_messages()</c>, the seam for tests.</summary>
    MessageRecorder RecordMessages();
}
