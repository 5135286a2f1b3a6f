using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailMvc.Mail.Outbox;

/// <summary>One worker's session of the delivery transport: opened when first needed, opened again after
/// <see cref="MailOptions.MaxEmails"/> mails or once it can no longer be used, closed while the worker is idle.</summary>
internal sealed class DeliverySession : IAsyncDisposable
{
    private readonly IMailTransport _transport;
    private readonly int? _maxEmails;
    private readonly ILogger _logger;
    private IMailTransportSession? _session;
    private int _sent;

    public DeliverySession(IMailTransport transport, int? maxEmails, ILogger logger)
    {
        _transport = transport;
        _maxEmails = maxEmails;
        _logger = logger;
    }

    public async Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        if (_session is not { IsUsable: true } || (_maxEmails is { } max && _sent >= max))
        {
            await CloseAsync().ConfigureAwait(false);
            _session = await _transport.OpenAsync(cancellationToken).ConfigureAwait(false);
            _sent = 0;
        }

        var receipt = await _session.SendAsync(message, envelope, cancellationToken).ConfigureAwait(false);
        _sent++;
        return receipt;
    }

    /// <summary>Closes the session (for SMTP, QUIT); the next send opens a new one.</summary>
    public async Task CloseAsync()
    {
        if (_session is not null)
        {
            var session = _session;
            _session = null;
            // A failure to close must not cost the next mail an attempt or stop the worker.
            await session.CloseQuietlyAsync(_logger, _transport.Description).ConfigureAwait(false);
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());
}
