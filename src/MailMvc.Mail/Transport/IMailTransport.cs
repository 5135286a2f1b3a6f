namespace MailMvc.Mail.Transport;

/// <summary>
/// Delivers MIME messages somewhere: an SMTP server (<see cref="SmtpMailTransport"/>), a folder
/// (<see cref="PickupDirectoryTransport"/>), an HTTP API, or another transport it wraps (the outbox, a failover
/// pair). Register one with <see cref="MailBuilder.UseTransport{TTransport}()"/>, or wrap the registered one with
/// <see cref="MailBuilder.WrapTransport{TWrapper}()"/>. A transport is a singleton shared by every send: keep
/// per-connection state in the sessions it opens.
/// </summary>
public interface IMailTransport
{
    /// <summary>Where this transport delivers, in words, for logs and developer pages
    /// (for example <c>SMTP smtp.example.com:587 (STARTTLS required)</c>).</summary>
    string Description { get; }

    /// <summary>Opens a session (for SMTP, a connection: connect, TLS, login) that sends messages one at a time.</summary>
    /// <exception cref="MailDeliveryException">The destination cannot be used now; <see cref="MailDeliveryException.IsConnectionFailure"/>
    /// is true when no message could get through it either.</exception>
    Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken);
}
