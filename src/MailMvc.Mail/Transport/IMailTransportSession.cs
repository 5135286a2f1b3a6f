using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>One open delivery session (an SMTP connection, or a folder): sends messages one at a time.</summary>
internal interface IMailTransportSession : IAsyncDisposable
{
    /// <summary>Delivers one message to the envelope's recipients.</summary>
    /// <returns>The server's reply, and the SMTP transcript of this delivery when Debug is on.</returns>
    Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken);

    /// <summary>False once the session can no longer be used (the connection dropped).</summary>
    bool IsUsable { get; }
}
