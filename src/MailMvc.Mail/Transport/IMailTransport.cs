namespace MailMvc.Mail.Transport;

/// <summary>Opens sessions that deliver MIME messages somewhere: an SMTP server or a folder.</summary>
internal interface IMailTransport
{
    /// <summary>Where this transport delivers, for the start-up log line.</summary>
    string Description { get; }

    Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken);
}
