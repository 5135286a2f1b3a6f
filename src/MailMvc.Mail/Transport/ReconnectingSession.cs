using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>
/// A transport session that opens when first needed, reopens after <see cref="MailOptions.MaxEmails"/> messages
/// or once the connection can no longer be used, and closes when disposed: the lifetime of one connection scope.
/// </summary>
internal sealed class ReconnectingSession : IAsyncDisposable
{
    private readonly IMailTransport _transport;
    private readonly int? _maxEmails;
    private IMailTransportSession? _session;
    private int _sentOnSession;

    public ReconnectingSession(IMailTransport transport, int? maxEmails)
    {
        _transport = transport;
        _maxEmails = maxEmails;
    }

    /// <summary>True while a connection is open.</summary>
    public bool IsOpen => _session is not null;

    /// <summary>Opens the connection now rather than on the first send.</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await CloseAsync().ConfigureAwait(false);
        _session = await _transport.OpenAsync(cancellationToken).ConfigureAwait(false);
        _sentOnSession = 0;
    }

    public async Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        var limitReached = _maxEmails is { } max && _sentOnSession >= max;
        if (_session is not { IsUsable: true } || limitReached)
        {
            await OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        var receipt = await _session!.SendAsync(message, envelope, cancellationToken).ConfigureAwait(false);
        _sentOnSession++;
        return receipt;
    }

    /// <summary>Closes the connection (QUIT); the next send opens a new one.</summary>
    public async Task CloseAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync().ConfigureAwait(false);
            _session = null;
        }
    }

    public ValueTask DisposeAsync() => new(CloseAsync());
}
