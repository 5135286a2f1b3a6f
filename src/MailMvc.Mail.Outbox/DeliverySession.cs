using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailMvc.Mail.Outbox;

/// <summary>One worker's session of the delivery transport: opened when first needed, opened again after
/// <see cref="MailOptions.MaxEmails"/> mails or once it can no longer be used, closed once the worker has been idle a
/// while.</summary>
internal sealed class DeliverySession : IAsyncDisposable
{
    private readonly IMailTransport _transport;
    private readonly int? _maxEmails;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private IMailTransportSession? _session;
    private int _sent;
    private long _lastUsed;

    public DeliverySession(IMailTransport transport, int? maxEmails, TimeProvider time, ILogger logger)
    {
        _transport = transport;
        _maxEmails = maxEmails;
        _time = time;
        _logger = logger;
    }

    /// <summary>Closes the session once it has gone unused for <paramref name="linger"/> since its last send, and at once
    /// when it can no longer be used.</summary>
    /// <returns>How long until it is due to close; null when none is open (any more).</returns>
    public async Task<TimeSpan?> CloseWhenIdleAsync(TimeSpan linger)
    {
        if (_session is null)
        {
            return null;
        }

        var left = linger - _time.GetElapsedTime(_lastUsed);
        if (left > TimeSpan.Zero && _session.IsUsable)
        {
            return left;
        }

        await CloseAsync().ConfigureAwait(false);
        return null;
    }

    public async Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        if (_session is not { IsUsable: true } || (_maxEmails is { } max && _sent >= max))
        {
            await CloseAsync().ConfigureAwait(false);
            _session = await _transport.OpenAsync(cancellationToken).ConfigureAwait(false);
            _sent = 0;
        }

        try
        {
            var receipt = await _session.SendAsync(message, envelope, cancellationToken).ConfigureAwait(false);
            _sent++;
            return receipt;
        }
        finally
        {
            _lastUsed = _time.GetTimestamp();
        }
    }

    /// <summary>How many mails the open session takes in one pipelined exchange now (<see cref="IPipelinedSession"/>),
    /// within <see cref="MailOptions.MaxEmails"/>; 0 when none is open, or it does not pipeline.</summary>
    public int PipelineDepth => _session is IPipelinedSession { IsUsable: true } pipelined
        ? Math.Min(pipelined.PipelineDepth, _maxEmails is { } max ? max - _sent : int.MaxValue)
        : 0;

    /// <summary>Sends mails in one pipelined exchange on the open session, blocking the worker's send thread (check
    /// <see cref="PipelineDepth"/> first), and tells <paramref name="outcome"/> each one's receipt or error, in order;
    /// <paramref name="cancellationToken"/> stops it before a mail that has not begun.</summary>
    /// <returns>How many, from the first, have had their outcome; the rest never reached the server beyond their envelope
    /// (the connection was lost, or the token was set), so they may go on a new session.</returns>
    public int SendPipelined(IReadOnlyList<OutgoingMessage> mails, MessageOutcome outcome, CancellationToken cancellationToken)
    {
        var session = (IPipelinedSession)_session!;
        try
        {
            return session.SendPipelined(mails, (index, receipt, error) =>
            {
                if (receipt is not null)
                {
                    _sent++;
                }

                outcome(index, receipt, error);
            }, cancellationToken);
        }
        finally
        {
            _lastUsed = _time.GetTimestamp();
        }
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
