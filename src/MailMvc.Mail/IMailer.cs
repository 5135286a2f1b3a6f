namespace MailMvc.Mail;

/// <summary>
/// Sends mail, Flask-Mail's <c>Mail</c>: one message with <see cref="IMessageSender.SendAsync"/>, many over one
/// connection with <see cref="ConnectAsync"/>, a long list over several with <see cref="SendManyAsync{TState}"/>.
/// Register it with <see cref="MailServiceCollectionExtensions.AddMail"/>.
/// </summary>
public interface IMailer : IMessageSender
{
    /// <summary>Raised after each message is delivered or queued, or would have been when sending is suppressed
    /// (Flask-Mail's <c>email_dispatched</c> signal); <see cref="MessageDispatchedEventArgs.Receipt"/> says which.
    /// A handler that throws is logged and does not fail the send.</summary>
    event EventHandler<MessageDispatchedEventArgs>? Dispatched;

    /// <summary>The settings in force, defaults resolved.</summary>
    MailOptions Options { get; }

    /// <summary>Where mail goes, in words (for example <c>SMTP smtp.example.com:587 (STARTTLS required)</c>), for logs
    /// and developer pages.</summary>
    string TransportDescription { get; }

    /// <summary>
    /// Opens a connection that sends many messages and reconnects after <see cref="MailOptions.MaxEmails"/>
    /// of them. Dispose it to close the connection (<c>await using</c>).
    /// </summary>
    /// <exception cref="MailDeliveryException">The server could not be reached, or TLS or the login failed.</exception>
    Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Sends many messages over <paramref name="connections"/> sessions of the transport that the mailer opens and
    /// shares the messages between, each reconnecting after <see cref="MailOptions.MaxEmails"/>. Messages are read
    /// from <paramref name="messages"/> as the sessions take them, so a long sequence is never held in memory. One
    /// message's failure does not stop the others; after a failure to reach the server, to log in or to set up TLS,
    /// the remaining messages fail with that error without further attempts. A transport whose sessions take batches
    /// (<see cref="Transport.IMailBatchSession"/>, the outbox) is handed the messages in batches; a transport that queues
    /// (<see cref="Transport.IQueueingMailTransport"/>) gets at most its
    /// <see cref="Transport.IQueueingMailTransport.StoringSessions"/> (the outbox: one on SQLite, two on PostgreSQL),
    /// whatever <paramref name="connections"/> says, since its own workers deliver in parallel. With several
    /// connections each message is run through the interceptors, checked and built by the connection that takes it,
    /// after the sequence has moved on; on any number
    /// the result hands back the message as the interceptors left it: yield a new <see cref="Message"/> for each mail
    /// and leave it unchanged until its result comes back.
    /// </summary>
    /// <typeparam name="TState">The caller's state for each message, handed back with its result.</typeparam>
    /// <returns>One result per message, as each completes: across connections not in input order.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="connections"/> is less than 1.</exception>
    IAsyncEnumerable<MessageSendResult<TState>> SendManyAsync<TState>(IAsyncEnumerable<(Message Message, TState State)> messages,
        int connections = 1, CancellationToken cancellationToken = default);

    /// <summary>Records every message dispatched from now until the recorder is disposed, Flask-Mail's
    /// <c>record_messages()</c>, the seam for tests.</summary>
    MessageRecorder RecordMessages();
}
