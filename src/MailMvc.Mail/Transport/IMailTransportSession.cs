using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>One open delivery session of an <see cref="IMailTransport"/> (an SMTP connection, a folder). It is used
/// by one caller at a time and disposed when done (for SMTP, QUIT).</summary>
public interface IMailTransportSession : IAsyncDisposable
{
    /// <summary>False once the session can no longer be used (the connection dropped): the next message opens a new one.</summary>
    bool IsUsable { get; }

    /// <summary>Delivers one message to the envelope's recipients (never to the message's own To, Cc or Bcc headers).</summary>
    /// <returns>What the destination said: its reply, the SMTP transcript when Debug is on, or the queue id when the
    /// message was queued for later delivery.</returns>
    /// <exception cref="MailDeliveryException">The message was not taken; see the subclasses.</exception>
    Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken);
}
