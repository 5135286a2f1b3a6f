using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;

namespace MailMvc.Mail.Transport;

/// <summary>Delivers over SMTP with MailKit, one client per session.</summary>
internal sealed class SmtpMailTransport : IMailTransport
{
    private readonly MailOptions _options;
    private readonly ILoggerFactory _loggerFactory;

    public SmtpMailTransport(MailOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _loggerFactory = loggerFactory;
    }

    public string Description =>
        $"SMTP {_options.SmtpHost}:{_options.Port}" + (_options.UseSsl ? " (TLS on connect)" : _options.UseTls ? " (STARTTLS required)" : "");

    public async Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken)
    {
        var transcript = _options.Debug == true ? new SmtpTranscriptLogger(_loggerFactory.CreateLogger(SmtpTranscriptLogger.Category)) : null;
        var client = transcript is null ? new MailMvcSmtpClient() : new MailMvcSmtpClient(transcript);
        client.Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds);
        client.CheckCertificateRevocation = _options.CheckCertificateRevocation;
        if (!string.IsNullOrWhiteSpace(_options.LocalDomain))
        {
            client.LocalDomain = _options.LocalDomain;
        }
        if (_options.ServerCertificateValidationCallback is { } callback)
        {
            client.ServerCertificateValidationCallback = callback;
        }

        var session = new SmtpMailTransportSession(client, transcript, _options);
        try
        {
            await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }
}
