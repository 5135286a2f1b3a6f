namespace MailMvc.Mail;

/// <summary>
/// Sends mail, Flask-Mail's <c>Mail</c>: one message with <see cref="IMessageSender.SendAsync"/>, many over one
/// connection with <see cref="ConnectAsync"/>. Register it with
/// <see cref="MailServiceCollectionExtensions.AddMail"/>.
/// </summary>
public interface IMailer : IMessageSender
{
    /// <summary>Raised after each message is delivered, or would have been when sending is suppressed
    /// (Flask-Mail's <c>email_dispatched</c> signal); in queued mode, once it is stored in the outbox
    /// (<see cref="MessageDispatchedEventArgs.Queued"/>). A handler that throws is logged and does not fail the send.</summary>
    event EventHandler<MessageDispatchedEventArgs>? Dispatched;

    /// <summary>The settings in force, defaults resolved.</summary>
    MailOptions Options { get; }

    /// <summary>Where mail goes: SMTP, the pickup directory, or nowhere when suppressed.</summary>
    MailDeliveryMethod DeliveryMethod { get; }

    /// <summary>Where mail goes, in words (for example <c>SMTP smtp.example.com:587 (STARTTLS required)</c>), for logs
    /// and developer pages.</summary>
    string TransportDescription { get; }

    /// <summary>True when mail is queued in the durable outbox (<see cref="OutboxOptions.Enabled"/>): a send returns
    /// once the mail is stored, and a background worker delivers it, retrying temporary failures.</summary>
    bool IsQueued { get; }

    /// <summary>
    /// Opens a connection that sends many messages and reconnects after <see cref="MailOptions.MaxEmails"/>
    /// of them. Dispose it to close the connection (<c>await using</c>).
    /// </summary>
    /// <exception cref="MailDeliveryException">The server could not be reached, or TLS or the login failed.</exception>
    Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends many messages over <paramref name="connections"/> connections that the mailer opens and shares the
    /// messages between, each reconnecting after <see cref="MailOptions.MaxEmails"/>. Messages are read from
    /// <paramref name="messages"/> as the connections take them, so a long sequence is never held in memory.
    /// One message's failure does not stop the others; after a failure to reach the server, to log in or to
    /// set up TLS, the remaining messages fail with that error without further attempts. When <see cref="IsQueued"/>,
    /// the messages are stored in the outbox instead, 100 to a transaction, and <paramref name="connections"/> is not
    /// used (the outbox's own connections deliver them).
    /// </summary>
    /// <returns>One result per message, as each completes: across connections not in input order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connections"/> is less than 1.</exception>
    IAsyncEnumerable<MessageSendResult> SendManyAsync(IAsyncEnumerable<Message> messages, int connections = 1, CancellationToken cancellationToken = default);

    /// <summary>Records every message dispatched from now until the recorder is disposed, Flask-Mail's
    /// <c>record_messages()</c>, the seam for tests.</summary>
    MessageRecorder RecordMessages();
}
