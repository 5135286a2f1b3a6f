namespace MailMvc.Mail;

/// <summary>An open connection from <see cref="IMailer.ConnectAsync"/> (Flask-Mail's <c>Connection</c>).
/// Not safe for concurrent use: send one message at a time.</summary>
public interface IMailConnection : IMessageSender, IAsyncDisposable
{
    /// <summary>Messages sent through this connection scope so far.</summary>
    int SentCount { get; }

}
