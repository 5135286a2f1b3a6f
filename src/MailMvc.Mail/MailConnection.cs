using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailMvc.Mail;

/// <summary>
/// A connection scope (Flask-Mail's <c>Connection</c>): one transport session that opens when first needed, reopens
/// after <see cref="MailOptions.MaxEmails"/> messages or once it can no longer be used, and closes when disposed.
/// </summary>
internal sealed partial class MailConnection : IMailConnection
{
    private readonly Mailer _mailer;
    private readonly IMailTransport? _transport;
    private readonly ILogger _logger;
    private IMailTransportSession? _session;
    private int _sentOnSession;

    public MailConnection(Mailer mailer, IMailTransport? transport, ILogger logger)
    {
        _mailer = mailer;
        _transport = transport;
        _logger = logger;
    }

    public int SentCount { get; private set; }

    /// <summary>True when a session is open, or there is nothing to open (sending is suppressed).</summary>
    public bool IsOpen => _session is not null || _transport is null;

    /// <summary>How many messages the open session takes at once: its batch size when it takes batches, else 1.</summary>
    public int BatchSize => _session is IMailBatchSession { IsUsable: true } batch && !LimitReached ? Math.Max(1, batch.MaxBatchSize) : 1;

    private bool LimitReached => _mailer.Options.MaxEmails is { } max && _sentOnSession >= max;

    /// <summary>Opens the session now rather than on the first send (closing one that is open).</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        await CloseAsync().ConfigureAwait(false);
        if (_transport is { } transport)
        {
            _session = await GuardAsync(() => transport.OpenAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
            _sentOnSession = 0;
        }
    }

    public Task<MailReceipt> SendAsync(Message message, CancellationToken cancellationToken = default) =>
        SendAsync(message, envelopeFrom: null, cancellationToken);

    public async Task<MailReceipt> SendAsync(Message message, EmailAddress? envelopeFrom, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var prepared = await _mailer.PrepareAsync(message, envelopeFrom, lookedAhead: null, cancellationToken).ConfigureAwait(false);
        return await SendPreparedAsync(message, prepared, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a message the mailer has already prepared (<see cref="Mailer.PrepareAsync"/>).</summary>
    public async Task<MailReceipt> SendPreparedAsync(Message message, PreparedMessage prepared, CancellationToken cancellationToken)
    {
        if (prepared.StopReason is { } reason)
        {
            return Stopped(message, reason, prepared.Suppressed);
        }

        TransportReceipt? sent = null;
        if (_transport is not null)
        {
            try
            {
                var session = await SessionAsync(cancellationToken).ConfigureAwait(false);
                sent = await GuardAsync(() => session.SendAsync(prepared.Mime!, prepared.Envelope!, cancellationToken), cancellationToken)
                    .ConfigureAwait(false);
                _sentOnSession++;
            }
            catch (MailDeliveryException e)
            {
                LogFailed(_logger, message.MessageId, e.GetType().Name, e.Message);
                throw;
            }

            LogSent(_logger, message.MessageId, prepared.Envelope!.Recipients.Count);
        }

        return Dispatch(message, prepared.Mime!, prepared.Envelope!, sent);
    }

    /// <summary>Sends several prepared messages: in one step (all or none) when the open session takes batches, else
    /// one at a time.</summary>
    /// <returns>One outcome per message, in order: its receipt, or why it was not taken.</returns>
    public async Task<IReadOnlyList<(MailReceipt? Receipt, Exception? Error)>> SendBatchAsync(
        IReadOnlyList<(Message Message, PreparedMessage Prepared)> messages, CancellationToken cancellationToken)
    {
        var outcomes = new (MailReceipt? Receipt, Exception? Error)[messages.Count];
        if (_session is not IMailBatchSession { IsUsable: true } batch || LimitReached)
        {
            // The next session may not take batches: one message at a time.
            for (var i = 0; i < messages.Count; i++)
            {
                outcomes[i] = await TrySendPreparedAsync(messages[i], cancellationToken).ConfigureAwait(false);
            }

            return outcomes;
        }

        var ready = new List<int>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Prepared.StopReason is { } reason)
            {
                outcomes[i] = (Stopped(messages[i].Message, reason, messages[i].Prepared.Suppressed), null);
            }
            else
            {
                ready.Add(i);
            }
        }

        if (ready.Count == 0)
        {
            return outcomes;
        }

        IReadOnlyList<TransportReceipt?> sent;
        try
        {
            sent = await SendReadyAsync(batch, ready.Select(i => new OutgoingMessage(messages[i].Prepared.Mime!, messages[i].Prepared.Envelope!)).ToList(),
                cancellationToken).ConfigureAwait(false);
        }
        catch (MailDeliveryException e)
        {
            LogBatchFailed(_logger, ready.Count, e.GetType().Name, e.Message);
            foreach (var index in ready)
            {
                outcomes[index] = (null, e);
            }

            return outcomes;
        }

        for (var i = 0; i < ready.Count; i++)
        {
            var (message, prepared) = messages[ready[i]];
            outcomes[ready[i]] = (Dispatch(message, prepared.Mime!, prepared.Envelope!, sent[i]), null);
        }

        return outcomes;
    }

    /// <summary>How many messages the open session takes in one pipelined exchange (<see cref="IPipelinedSession"/>), within
    /// <see cref="MailOptions.MaxEmails"/>; 0 or 1 when it does not pipeline now.</summary>
    public int PipelineDepth => _session is IPipelinedSession { IsUsable: true } session && !LimitReached
        ? Math.Min(session.PipelineDepth, _mailer.Options.MaxEmails is { } max ? max - _sentOnSession : int.MaxValue)
        : 0;

    /// <summary>Sends prepared messages in pipelined exchanges on a send thread, reopening the session for the messages a
    /// lost connection never reached (and one at a time while the session does not pipeline).</summary>
    /// <param name="messages">The messages, in order.</param>
    /// <param name="outcome">Told each message's receipt, or why it was not sent, as soon as it is known.</param>
    /// <param name="cancellationToken">Checked between exchanges.</param>
    public async Task SendPipelinedAsync(IReadOnlyList<(Message Message, PreparedMessage Prepared)> messages,
        Action<int, MailReceipt?, Exception?> outcome, CancellationToken cancellationToken)
    {
        var waiting = new List<int>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            if (messages[i].Prepared.StopReason is { } reason)
            {
                outcome(i, Stopped(messages[i].Message, reason, messages[i].Prepared.Suppressed), null);
            }
            else
            {
                waiting.Add(i);
            }
        }

        var next = 0;
        while (next < waiting.Count)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (PipelineDepth <= 1 && await OpenOrFailAsync(waiting, next, messages, outcome, cancellationToken).ConfigureAwait(false) is > 0 and var failed)
            {
                next += failed;
                continue;
            }

            var depth = PipelineDepth;
            if (depth <= 1)
            {
                // This session does not pipeline (or has room for one more message): one message, then look again.
                var (receipt, error) = await TrySendPreparedAsync(messages[waiting[next]], cancellationToken).ConfigureAwait(false);
                outcome(waiting[next++], receipt, error);
                continue;
            }

            var take = Math.Min(depth, waiting.Count - next);
            var batch = new OutgoingMessage[take];
            for (var i = 0; i < take; i++)
            {
                var prepared = messages[waiting[next + i]].Prepared;
                batch[i] = new OutgoingMessage(prepared.Mime!, prepared.Envelope!);
            }

            var first = next;
            next += ((IPipelinedSession)_session!).SendPipelined(batch, (index, sent, error) =>
            {
                var original = waiting[first + index];
                var (message, prepared) = messages[original];
                if (error is not null)
                {
                    error = Guarded(error, cancellationToken);
                    LogFailed(_logger, message.MessageId, error.GetType().Name, error.Message);
                    outcome(original, null, error);
                    return;
                }

                _sentOnSession++;
                LogSent(_logger, message.MessageId, prepared.Envelope!.Recipients.Count);
                outcome(original, Dispatch(message, prepared.Mime!, prepared.Envelope!, sent), null);
            }, cancellationToken);
        }
    }

    /// <summary>Opens a new session when the open one is spent. When that fails, the failure is the next message's, as when
    /// it is sent on its own; a failure to reach the server at all is every waiting message's.</summary>
    /// <returns>How many waiting messages got the failure as their outcome: 0 when the session is open.</returns>
    private async Task<int> OpenOrFailAsync(List<int> waiting, int next, IReadOnlyList<(Message Message, PreparedMessage Prepared)> messages,
        Action<int, MailReceipt?, Exception?> outcome, CancellationToken cancellationToken)
    {
        try
        {
            await SessionAsync(cancellationToken).ConfigureAwait(false);
            return 0;
        }
        catch (MailDeliveryException e)
        {
            var failed = e.IsConnectionFailure ? waiting.Count - next : 1;
            for (var i = next; i < next + failed; i++)
            {
                LogFailed(_logger, messages[waiting[i]].Message.MessageId, e.GetType().Name, e.Message);
                outcome(waiting[i], null, e);
            }

            return failed;
        }
    }

    private async Task<(MailReceipt? Receipt, Exception? Error)> TrySendPreparedAsync((Message Message, PreparedMessage Prepared) message,
        CancellationToken cancellationToken)
    {
        try
        {
            return (await SendPreparedAsync(message.Message, message.Prepared, cancellationToken).ConfigureAwait(false), null);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return (null, e);
        }
    }

    public async ValueTask DisposeAsync() => await CloseAsync().ConfigureAwait(false);

    /// <returns>The transport's receipt per message.</returns>
    /// <exception cref="MailDeliveryException">None of them was taken; or the transport took them without a receipt for
    /// each, so whether each was delivered is unknown (not transient: sending them again could deliver some twice).</exception>
    private async Task<IReadOnlyList<TransportReceipt>> SendReadyAsync(IMailBatchSession batch, IReadOnlyList<OutgoingMessage> ready,
        CancellationToken cancellationToken)
    {
        var receipts = await GuardAsync(() => batch.SendBatchAsync(ready, cancellationToken), cancellationToken).ConfigureAwait(false);
        _sentOnSession += ready.Count;
        if (receipts.Count < ready.Count)
        {
            throw new MailDeliveryException(
                $"The transport ({_transport?.Description}) returned {receipts.Count} receipt(s) for a batch of {ready.Count} message(s), so " +
                "whether this one was delivered is unknown. IMailBatchSession.SendBatchAsync returns one receipt per message, in order, " +
                "or throws MailDeliveryException for the whole batch.");
        }

        return receipts;
    }

    /// <summary>Runs a call into the transport: what a transport of the user's own throws besides
    /// <see cref="MailDeliveryException"/> becomes one (transient, the cause inside), so a bulk send reports it per
    /// message instead of ending, as the outbox's worker retries it.</summary>
    private async Task<T> GuardAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (Exception e) when (e is not MailDeliveryException && !(e is OperationCanceledException && cancellationToken.IsCancellationRequested))
        {
            throw Guarded(e, cancellationToken);
        }
    }

    /// <summary><see cref="GuardAsync"/>'s view of a failure the transport reported: a <see cref="MailDeliveryException"/>
    /// (or the caller's cancellation) as it is, anything else inside a transient one.</summary>
    private Exception Guarded(Exception e, CancellationToken cancellationToken) =>
        e is MailDeliveryException || (e is OperationCanceledException && cancellationToken.IsCancellationRequested) ? e
            : new MailDeliveryException($"The transport ({_transport?.Description}) failed: {e.Message}", null, isTransient: true, e);

    private async Task<IMailTransportSession> SessionAsync(CancellationToken cancellationToken)
    {
        if (_session is not { IsUsable: true } || LimitReached)
        {
            await OpenAsync(cancellationToken).ConfigureAwait(false);
        }

        return _session!;
    }

    private async Task CloseAsync()
    {
        if (_session is not null)
        {
            var session = _session;
            _session = null;
            await session.CloseQuietlyAsync(_logger, _transport?.Description ?? "(none)").ConfigureAwait(false);
        }
    }

    private MailReceipt Dispatch(Message message, MimeMessage mime, Envelope envelope, TransportReceipt? sent)
    {
        SentCount++;
        var receipt = new MailReceipt
        {
            MessageId = message.MessageId,
            Disposition = sent is null ? MailDisposition.Suppressed : sent.QueueId is null ? MailDisposition.Delivered : MailDisposition.Queued,
            Recipients = envelope.Recipients.Select(r => r.Address).ToList(),
            Reply = sent?.Reply,
            QueueId = sent?.QueueId,
            Server = sent?.Server,
            NotBefore = sent is null ? null : envelope.NotBefore,
            Transcript = sent?.Transcript,
        };
        _mailer.OnDispatched(new MessageDispatchedEventArgs(message, mime, receipt));
        return receipt;
    }

    private static MailReceipt Stopped(Message message, string reason, bool suppressed) => new()
    {
        MessageId = message.MessageId,
        Disposition = suppressed ? MailDisposition.Suppressed : MailDisposition.Stopped,
        Reason = reason,
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handed {MessageId} for {RecipientCount} recipient(s) to the transport")]
    private static partial void LogSent(ILogger logger, string messageId, int recipientCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {MessageId} failed ({Error}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string messageId, string error, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending a batch of {Count} message(s) failed ({Error}): {Reason}")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error, string reason);
}
