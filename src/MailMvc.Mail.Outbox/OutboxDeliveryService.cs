using System.Data.Common;
using MailMvc.Mail.Suppression;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailMvc.Mail.Outbox;

/// <summary>
/// Delivers the outbox in the background over <see cref="OutboxOptions.Connections"/> connections: claims due
/// mails in batches, sends each, and records the outcome; temporary failures wait for their next attempt with
/// exponential back-off and jitter. Claimed mails a stopped instance left behind are taken over once the claim
/// expires, so a crash loses nothing.
/// </summary>
internal sealed partial class OutboxDeliveryService : BackgroundService
{
    private static readonly TimeSpan s_maintenanceInterval = TimeSpan.FromSeconds(5);

    private readonly OutboxRuntime _outbox;
    private readonly MailOptions _mail;
    private readonly IMailTransport? _transport;
    private readonly ILogger<OutboxDeliveryService> _logger;
    private readonly OutageLog _outage;
    private readonly ISuppressionList? _suppressions;
    private readonly UnknownRecipientPolicy _unknownRecipients;
    private readonly bool _sendsAsStored;

    /// <param name="outbox">The outbox of this process.</param>
    /// <param name="pipeline">The mailer's transport: building it gives the outbox the transport it wraps, which delivers.</param>
    /// <param name="logger">For the worker's log lines.</param>
    /// <param name="suppressions">The suppression list, checked again at every attempt; null when there is none.</param>
    /// <param name="suppressionOptions">Which refusals add an address to the list.</param>
    public OutboxDeliveryService(OutboxRuntime outbox, IMailTransport pipeline, ILogger<OutboxDeliveryService> logger,
        ISuppressionList? suppressions = null, IOptions<SuppressionOptions>? suppressionOptions = null)
    {
        _suppressions = suppressions;
        _unknownRecipients = suppressionOptions?.Value.AddUnknownRecipients ?? UnknownRecipientPolicy.Off;
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(pipeline);
        _outbox = outbox;
        _mail = outbox.Mail;
        _transport = outbox.Enabled ? outbox.DeliveryTransport : null;
        _sendsAsStored = _transport is not null && StoredMessage.IsSentAsStoredBy(_transport);
        _logger = logger;
        _outage = new OutageLog(logger, outbox.Time);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_transport is null)
        {
            return;
        }

        await WaitForSchemaAsync(stoppingToken).ConfigureAwait(true);
        var instance = $"{Environment.MachineName}/{Environment.ProcessId}/{Guid.NewGuid().ToString("N")[..8]}";
        LogStarted(_logger, _outbox.Options.Connections, _outbox.Description, _transport.Description);
        var workers = Enumerable.Range(1, _outbox.Options.Connections)
            .Select(i => StartWorker(i, $"{instance}/{i}", stoppingToken))
            .Append(MaintainAsync(stoppingToken));
        await Task.WhenAll(workers).ConfigureAwait(true);
    }

    private async Task WaitForSchemaAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await _outbox.Store.EnsureSchemaAsync(stoppingToken).ConfigureAwait(true);
                return;
            }
            catch (DbException e)
            {
                LogStoreUnavailable(_logger, e);
                await Task.Delay(s_maintenanceInterval, _outbox.Time, stoppingToken).ConfigureAwait(true);
            }
        }
    }

    /// <summary>Runs one connection's worker on a thread of its own, a send thread as bulk sending uses: its SMTP
    /// exchange blocks there instead of handing every reply to the thread pool, and the worker's awaits come back to
    /// that thread (this class awaits with <c>ConfigureAwait(true)</c> for it; without a send thread, as in a test
    /// calling it directly, that is the same as <c>false</c>).</summary>
    private Task StartWorker(int number, string worker, CancellationToken stoppingToken)
    {
        var finished = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        SendThread.Start($"MailMvc outbox {number}", () =>
        {
            try
            {
                SendThreadContext.Run(() => WorkAsync(worker, stoppingToken));
                finished.SetResult();
            }
            catch (Exception e)
            {
                finished.SetException(e);
            }
        });
        return finished.Task;
    }

    private async Task WorkAsync(string worker, CancellationToken stoppingToken)
    {
        var lane = _outbox.Lanes.Open(worker);
        try
        {
            await using var session = new DeliverySession(_transport!, _mail.MaxEmails, _outbox.Time, _logger);
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await WorkOnceAsync(session, lane, stoppingToken).ConfigureAwait(true);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception e)
                {
                    // Whatever went wrong, this connection keeps working: its claims expire and are taken up again.
                    LogWorkerError(_logger, worker, e);
                    await BackOffAsync(lane, stoppingToken).ConfigureAwait(true);
                }
            }
        }
        finally
        {
            // What senders handed over and this worker did not start on is queued again at once for the next start.
            var waiting = _outbox.Lanes.Close(lane);
            if (waiting.Count > 0)
            {
                await ReleaseAsync(worker, waiting.Select(m => m.Id).ToList()).ConfigureAwait(true);
            }
        }
    }

    private async Task WorkOnceAsync(DeliverySession session, OutboxLane lane, CancellationToken stoppingToken)
    {
        // Mail this process stored and handed over first, without claiming it; the store is claimed from whenever mail may
        // be due there (a wake, or the poll interval since the last claim), so a sender that keeps the lane full never
        // holds back mail queued by other instances, retries or scheduled mail.
        if (!lane.MustClaim(_outbox.Time, _outbox.Options.PollInterval))
        {
            if (!await DeliverHandedOverAsync(session, lane, stoppingToken).ConfigureAwait(true))
            {
                // Nothing handed over, and nothing due in the store until the next poll: a claim now would find nothing.
                await IdleAsync(session, lane, stoppingToken).ConfigureAwait(true);
            }

            return;
        }

        IReadOnlyList<OutboxItem> batch;
        var claimedAt = _outbox.Time.GetTimestamp();
        lane.Claiming(_outbox.Time);
        try
        {
            // Not cancelled by shutdown: a claim is statements of its own (the claim, then the mails' bodies), and one
            // cancelled after the claim was committed left its mails claimed, unsent and not given back until the claim
            // expired (CI saw 19 of 20). Claimed during shutdown, the batch is given back at once (DeliverBatchAsync).
            batch = await _outbox.Store.ClaimAsync(lane.Worker, _outbox.Options.BatchSize, _outbox.Options.ClaimDuration, CancellationToken.None)
                .ConfigureAwait(true);
        }
        catch (DbException e)
        {
            LogStoreUnavailable(_logger, e);
            await BackOffAsync(lane, stoppingToken).ConfigureAwait(true);
            return;
        }

        if (batch.Count == 0)
        {
            if (await DeliverHandedOverAsync(session, lane, stoppingToken).ConfigureAwait(true))
            {
                return;
            }

            await IdleAsync(session, lane, stoppingToken).ConfigureAwait(true);
            return;
        }

        if (batch.Count == _outbox.Options.BatchSize)
        {
            _outbox.Wake(); // more is waiting: let the other connections start on it
        }

        await DeliverAndRecordAsync(session, lane.Worker, batch, claimedAt, stoppingToken).ConfigureAwait(true);
        // A wake (a full batch, mail another sender could not hand over) has this worker claim again next, for as long as
        // the store has mail: mail handed to it goes between those batches instead of waiting for them all (and for its
        // claim to run out).
        await DeliverHandedOverAsync(session, lane, stoppingToken).ConfigureAwait(true);
    }

    /// <summary>Delivers up to a batch of the mails handed to this worker: <see cref="OutboxOptions.BatchSize"/>, or what one
    /// enqueue stores at once when that is more (32), so the deliveries of a stored batch are recorded in one transaction
    /// rather than two (on SQLite's one writer, 10,000 queued mails: 313 records of deliveries instead of 620).</summary>
    /// <returns>False when none was waiting.</returns>
    private async Task<bool> DeliverHandedOverAsync(DeliverySession session, OutboxLane lane, CancellationToken stoppingToken)
    {
        var handed = _outbox.Lanes.Take(lane, Math.Max(_outbox.Options.BatchSize, OutboxTransport.BatchSize), out var claimedAt);
        if (handed.Count == 0)
        {
            return false;
        }

        await DeliverAndRecordAsync(session, lane.Worker, handed, claimedAt, stoppingToken).ConfigureAwait(true);
        return true;
    }

    private async Task DeliverAndRecordAsync(DeliverySession session, string worker, IReadOnlyList<OutboxItem> batch, long claimedAt,
        CancellationToken stoppingToken)
    {
        // Deliveries are recorded together once the batch is done (one transaction instead of one a mail).
        var delivered = new List<(OutboxItem Item, TransportReceipt Receipt)>(batch.Count);
        try
        {
            await DeliverBatchAsync(session, worker, batch, claimedAt, delivered, stoppingToken).ConfigureAwait(true);
        }
        finally
        {
            await RecordSentAsync(worker, delivered).ConfigureAwait(true);
        }
    }

    private async Task DeliverBatchAsync(DeliverySession session, string worker, IReadOnlyList<OutboxItem> batch, long claimedAt,
        List<(OutboxItem Item, TransportReceipt Receipt)> delivered, CancellationToken stoppingToken)
    {
        Exception? connectionFailure = null;
        for (var i = 0; i < batch.Count; i++)
        {
            // A started delivery finishes (it is bounded by Mail:Timeout); on shutdown the rest is given back.
            if (stoppingToken.IsCancellationRequested)
            {
                await ReleaseAsync(worker, batch.Skip(i).Select(m => m.Id).ToList()).ConfigureAwait(true);
                return;
            }

            if (connectionFailure is not null)
            {
                connectionFailure = await RecordFailureAsync(worker, batch[i], connectionFailure).ConfigureAwait(true);
                continue;
            }

            // The claim is extended only when what is left of it might not cover this send (closing the old
            // connection, connecting, logging in, sending: four timeouts at most), so a fast batch costs no renewals.
            var mustRenew = _outbox.Options.ClaimDuration - _outbox.Time.GetElapsedTime(claimedAt) < (4 * _mail.Timeout) + TimeSpan.FromSeconds(1);
            if (mustRenew)
            {
                // A slow batch: what it delivered so far is recorded now, before those claims could run out.
                await RecordSentAsync(worker, delivered).ConfigureAwait(true);
                var renewing = _outbox.Time.GetTimestamp();
                if (!await RenewAsync(worker, batch[i], batch.Skip(i).Select(m => m.Id).ToList()).ConfigureAwait(true))
                {
                    continue;
                }

                claimedAt = renewing;
            }

            if (PipelinedRun(session, claimedAt, batch.Count - i) is > 1 and var run)
            {
                var (taken, failure) = await DeliverPipelinedAsync(session, worker, batch, i, run, delivered, stoppingToken).ConfigureAwait(true);
                (i, connectionFailure) = (i + taken - 1, failure);
            }
            else
            {
                connectionFailure = await DeliverAsync(session, worker, batch[i], delivered).ConfigureAwait(true);
            }

            if (delivered.Count > 0 && _outbox.Time.GetElapsedTime(claimedAt) > _outbox.Options.ClaimDuration / 2)
            {
                // A send that waited long (a sending budget's turn, a slow server): what went is recorded before the
                // claims of the rest of the batch could run out and another worker send those mails again.
                await RecordSentAsync(worker, delivered).ConfigureAwait(true);
            }
        }
    }

    /// <summary>Gives unattempted mails back on shutdown, so a restart sends them at once instead of after the claim expires.</summary>
    private async Task ReleaseAsync(string worker, IReadOnlyCollection<long> ids)
    {
        try
        {
            await _outbox.Store.ReleaseAsync(ids, worker, CancellationToken.None).ConfigureAwait(true);
        }
        catch (DbException e)
        {
            // They are taken over once the claim expires.
            LogStoreUnavailable(_logger, e);
        }
    }

    /// <summary>Extends this worker's claims on <paramref name="unfinished"/> (this mail and the rest of its batch).</summary>
    /// <returns>False when the mail must not be sent here: its claim expired and another worker took it, or the claim
    /// could not be extended (it is taken up again once it expires).</returns>
    private async Task<bool> RenewAsync(string worker, OutboxItem item, IReadOnlyCollection<long> unfinished)
    {
        try
        {
            if (await _outbox.Store.RenewAsync(unfinished, item.Id, worker, _outbox.Options.ClaimDuration, CancellationToken.None).ConfigureAwait(true))
            {
                return true;
            }

            LogClaimLost(_logger, item.MessageId);
            return false;
        }
        catch (DbException e)
        {
            LogStoreUnavailable(_logger, e);
            return false;
        }
    }

    /// <summary>Sends one claimed mail and records a failure at once; a delivery joins <paramref name="delivered"/>.</summary>
    /// <returns>The error when it was about the connection (the rest of the batch then waits too), else null.</returns>
    private async Task<Exception?> DeliverAsync(DeliverySession session, string worker, OutboxItem item,
        List<(OutboxItem Item, TransportReceipt Receipt)> delivered)
    {
        using var activity = OutboxTelemetry.StartDelivery(item);
        var (mail, failure) = await PrepareAsync(worker, item, activity).ConfigureAwait(true);
        return mail is null ? failure : await SendAloneAsync(session, worker, item, mail, delivered, activity).ConfigureAwait(true);
    }

    /// <summary>Reads a claimed mail back and leaves out suppressed recipients; a mail that is not to be sent (every
    /// recipient suppressed, unreadable, the suppression list unreachable) is recorded at once.</summary>
    /// <returns>The mail to send, or null with the error when it was about the connection.</returns>
    /// <param name="worker">The worker whose claim the mail is in.</param>
    /// <param name="item">The claimed mail.</param>
    /// <param name="activity">The mail's delivery span, when it has one.</param>
    /// <param name="suppressed">What the one lookup of the recipients of the run this mail is in found
    /// (<see cref="FindSuppressedAsync"/>); null to look up this mail's own.</param>
    private async Task<(OutgoingMessage? Mail, Exception? ConnectionFailure)> PrepareAsync(string worker, OutboxItem item, System.Diagnostics.Activity? activity,
        SuppressionLookup? suppressed = null)
    {
        try
        {
            var (message, envelope) = OutboxRuntime.FromItem(item, _sendsAsStored);
            var rest = await HoldBackSuppressedAsync(envelope, suppressed).ConfigureAwait(true);
            if (rest.Remaining is null)
            {
                await RecordSuppressedAsync(worker, item, rest.Reason).ConfigureAwait(true);
                return (null, null);
            }

            return (new OutgoingMessage(message, rest.Remaining), null);
        }
        catch (Exception e)
        {
            return (null, await RecordSendFailureAsync(worker, item, null, e, activity).ConfigureAwait(true));
        }
    }

    private async Task<Exception?> SendAloneAsync(DeliverySession session, string worker, OutboxItem item, OutgoingMessage mail,
        List<(OutboxItem Item, TransportReceipt Receipt)> delivered, System.Diagnostics.Activity? activity)
    {
        TransportReceipt receipt;
        try
        {
            receipt = await session.SendAsync(mail.Message, mail.Envelope, CancellationToken.None).ConfigureAwait(true);
        }
        catch (Exception e)
        {
            return await RecordSendFailureAsync(worker, item, mail.Message, e, activity).ConfigureAwait(true);
        }

        Delivered(item, receipt, delivered, activity);
        return null;
    }

    private void Delivered(OutboxItem item, TransportReceipt receipt, List<(OutboxItem Item, TransportReceipt Receipt)> delivered,
        System.Diagnostics.Activity? activity)
    {
        delivered.Add((item, receipt));
        _outage.Delivered();
        activity?.SetTag(Telemetry.MailTelemetry.OutcomeTag, "sent");
        activity?.SetTag(Telemetry.MailTelemetry.ServerTag, receipt.Server);
    }

    /// <summary>Records why a mail was not sent.</summary>
    /// <returns>The error when it was about the connection, else null.</returns>
    private async Task<Exception?> RecordSendFailureAsync(string worker, OutboxItem item, MimeMessage? message, Exception error,
        System.Diagnostics.Activity? activity)
    {
        switch (error)
        {
            case MailRecipientRefusedException refused:
                // The address is on the list before the mail shows as failed: whoever sees the failure sees the suppression.
                await SuppressUnknownRecipientAsync(message, refused).ConfigureAwait(true);
                return await RecordFailureAsync(worker, item, error, activity).ConfigureAwait(true);
            case MailDeliveryException or FormatException:
                return await RecordFailureAsync(worker, item, error, activity).ConfigureAwait(true);
            default:
                // Anything else (a pickup folder that cannot be written, say) is tried again later.
                LogUnexpected(_logger, item.MessageId, error);
                return await RecordFailureAsync(worker, item,
                    new MailDeliveryException($"Delivery failed unexpectedly: {error.Message}", null, isTransient: true, error), activity).ConfigureAwait(true);
        }
    }

    /// <summary>How many of the batch's next mails go in one pipelined exchange (one round trip a mail instead of two): as
    /// many as the open session takes at once and the claim still covers, at <see cref="MailOptions.Timeout"/> a mail
    /// beyond the first (whose four timeouts the check before it covers). One or less sends the next mail alone: no
    /// session is open yet (the first mail opens it), it does not pipeline (TLS, a server without PIPELINING, a transport
    /// of one's own), or each delivery is traced (its span then times its own exchange).</summary>
    private int PipelinedRun(DeliverySession session, long claimedAt, int left)
    {
        if (left < 2 || session.PipelineDepth < 2 || OutboxTelemetry.Source.HasListeners())
        {
            return 1;
        }

        var spare = _outbox.Options.ClaimDuration - _outbox.Time.GetElapsedTime(claimedAt) - (4 * _mail.Timeout) - TimeSpan.FromSeconds(1);
        var covered = spare > TimeSpan.Zero ? 1 + Math.Min(left, spare / _mail.Timeout) : 1;
        return (int)Math.Min(Math.Min(left, session.PipelineDepth), covered);
    }

    /// <summary>Sends up to <paramref name="max"/> mails of the batch, from <paramref name="start"/>, in pipelined
    /// exchanges, each read back and checked against the suppression list first, its outcome recorded as a mail sent
    /// alone has it. Mails a lost connection never reached go on a new one.</summary>
    /// <returns>How many mails of the batch it took (each sent, or recorded as not sent), and the error when one was about
    /// the connection (the rest of the batch then waits too; those of these mails not yet sent have it recorded).</returns>
    private async Task<(int Taken, Exception? ConnectionFailure)> DeliverPipelinedAsync(DeliverySession session, string worker,
        IReadOnlyList<OutboxItem> batch, int start, int max, List<(OutboxItem Item, TransportReceipt Receipt)> delivered,
        CancellationToken stoppingToken)
    {
        var ready = new List<(OutboxItem Item, OutgoingMessage Mail)>(max);
        var looked = Math.Min(max, batch.Count - start);
        var suppressed = await FindSuppressedAsync(batch.Skip(start).Take(looked)).ConfigureAwait(true);
        var taken = 0;
        while (ready.Count < max && start + taken < batch.Count)
        {
            var item = batch[start + taken++];
            // A mail taken in place of one held back was not in the run's lookup: it looks up its own.
            var (mail, failure) = await PrepareAsync(worker, item, null, taken <= looked ? suppressed : null).ConfigureAwait(true);
            if (failure is not null)
            {
                return (taken, await RecordNotSentAsync(worker, ready, 0, failure).ConfigureAwait(true));
            }

            if (mail is not null)
            {
                ready.Add((item, mail));
            }
        }

        var next = 0;
        while (next < ready.Count)
        {
            if (stoppingToken.IsCancellationRequested)
            {
                // Shutting down: the mails under way finished; those not begun are given back, as the rest of the batch is.
                await ReleaseAsync(worker, ready.Skip(next).Select(r => r.Item.Id).ToList()).ConfigureAwait(true);
                return (taken, null);
            }

            var depth = Math.Min(session.PipelineDepth, ready.Count - next);
            if (depth < 2)
            {
                // The connection is gone (the rest never reached it), or the new one does not pipeline: one at a time.
                var (item, mail) = ready[next++];
                if (await SendAloneAsync(session, worker, item, mail, delivered, null).ConfigureAwait(true) is { } lost)
                {
                    return (taken, await RecordNotSentAsync(worker, ready, next, lost).ConfigureAwait(true));
                }

                continue;
            }

            var run = ready.GetRange(next, depth);
            var outcomes = new (TransportReceipt? Receipt, Exception? Error)[depth];
            // The token stops the exchange before a mail that has not begun, as between mails sent alone.
            var done = session.SendPipelined(run.Select(r => r.Mail).ToList(), (index, receipt, error) => outcomes[index] = (receipt, error),
                stoppingToken);
            for (var k = 0; k < done; k++)
            {
                var (item, mail) = run[k];
                if (outcomes[k].Error is { } error)
                {
                    if (await RecordSendFailureAsync(worker, item, mail.Message, error, null).ConfigureAwait(true) is { } lost)
                    {
                        return (taken, await RecordNotSentAsync(worker, ready, next + k + 1, lost).ConfigureAwait(true));
                    }
                }
                else
                {
                    Delivered(item, outcomes[k].Receipt!, delivered, null);
                }
            }

            next += done;
        }

        return (taken, null);
    }

    /// <summary>After a connection failure, records it for the prepared mails from <paramref name="from"/> that were not
    /// sent, as the rest of the batch has it recorded.</summary>
    /// <returns>The connection failure, for the rest of the batch.</returns>
    private async Task<Exception?> RecordNotSentAsync(string worker, List<(OutboxItem Item, OutgoingMessage Mail)> ready, int from, Exception failure)
    {
        var connectionFailure = failure;
        for (var i = from; i < ready.Count; i++)
        {
            connectionFailure = await RecordFailureAsync(worker, ready[i].Item, connectionFailure).ConfigureAwait(true) ?? connectionFailure;
        }

        return connectionFailure;
    }

    /// <summary>Checks the recipients against the suppression list, at every attempt: an address suppressed after the mail
    /// was queued is skipped too.</summary>
    /// <returns>The envelope without suppressed recipients (null when none is left, with the reason).</returns>
    /// <exception cref="MailDeliveryException">The list cannot be read (transient: the mail waits, never sent unchecked).</exception>
    private async Task<(Envelope? Remaining, string Reason)> HoldBackSuppressedAsync(Envelope envelope, SuppressionLookup? suppressed)
    {
        if (_suppressions is null)
        {
            return (envelope, "");
        }

        var addresses = envelope.Recipients.Select(r => r.Address).ToList();
        if (suppressed?.Among(addresses) is not { } found)
        {
            try
            {
                found = await _suppressions.FindAsync(addresses, CancellationToken.None).ConfigureAwait(true);
            }
            catch (Exception e) when (e is DbException or OutboxSchemaException)
            {
                throw new MailDeliveryException($"The suppression list could not be read, so the mail waits: {e.Message}", null, isTransient: true, e);
            }
        }

        if (found.Count == 0)
        {
            return (envelope, "");
        }

        var held = found.Select(f => f.Address).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var remaining = envelope.Recipients.Where(r => !held.Contains(r.Address)).ToList();
        var reason = string.Join("; ", found.Select(f => $"{f.Address} {f.Describe()}"));
        return remaining.Count == 0 ? (null, reason) : (envelope with { Recipients = remaining }, reason);
    }

    /// <summary>Looks up the recipients of a pipelined run's mails in the suppression list at once, instead of a lookup a
    /// mail (on SQLite each is a turn at the outbox's file, which the senders storing mail wait for).</summary>
    /// <returns>The lookup; null when there is no list, no address to look up, or when it could not be read: each mail then
    /// looks up its own, and one that cannot is recorded as a mail sent alone has it (it waits, never sent unchecked).</returns>
    private async Task<SuppressionLookup?> FindSuppressedAsync(IEnumerable<OutboxItem> items)
    {
        if (_suppressions is null)
        {
            return null;
        }

        try
        {
            return await SuppressionLookup.FindAsync(_suppressions, items.SelectMany(item => item.Recipients.Split('\n')), CancellationToken.None)
                .ConfigureAwait(true);
        }
        catch (Exception e) when (e is DbException or OutboxSchemaException)
        {
            return null;
        }
    }

    /// <summary>A mail whose every recipient is suppressed is not sent: it ends failed, its reply saying whom and since when.</summary>
    private async Task RecordSuppressedAsync(string worker, OutboxItem item, string reason)
    {
        try
        {
            if (await _outbox.Store.MarkFailedAsync(item.Id, worker, $"Not sent: {reason}.", CancellationToken.None).ConfigureAwait(true))
            {
                LogSuppressed(_logger, item.MessageId, reason);
            }
        }
        catch (DbException e)
        {
            LogRecordFailed(_logger, item.MessageId, e);
        }
    }

    /// <summary>Puts an address a server refused as unknown on the suppression list, when the policy covers the mail.</summary>
    private async Task SuppressUnknownRecipientAsync(MimeMessage? message, MailRecipientRefusedException refused)
    {
        var covered = _unknownRecipients switch
        {
            UnknownRecipientPolicy.AllMail => true,
            UnknownRecipientPolicy.BulkMail => message?.Headers.Contains("List-Unsubscribe") == true,
            _ => false,
        };
        if (_suppressions is null || !covered || !UnknownRecipientReply.Matches(refused.ServerReply) || !refused.Recipient.Contains('@', StringComparison.Ordinal))
        {
            return;
        }

        try
        {
            if (await _suppressions.AddAsync(new SuppressedAddress(refused.Recipient, SuppressionReason.UnknownRecipient, _outbox.Time.GetUtcNow(),
                refused.ServerReply), CancellationToken.None).ConfigureAwait(true))
            {
                LogUnknownRecipientSuppressed(_logger, refused.ServerReply!);
            }
        }
        catch (Exception e) when (e is DbException or OutboxSchemaException)
        {
            LogRecordFailed(_logger, message?.MessageId ?? "", e);
        }
    }

    /// <summary>Records deliveries, trying a few times (a mail whose delivery is not recorded is sent again later), and
    /// empties <paramref name="delivered"/>.</summary>
    private async Task RecordSentAsync(string worker, List<(OutboxItem Item, TransportReceipt Receipt)> delivered)
    {
        if (delivered.Count == 0)
        {
            return;
        }

        const int Tries = 3;
        IReadOnlyList<bool> owned;
        var recording = delivered.ToList();
        delivered.Clear();
        var deliveries = recording.Select(d => new OutboxDelivery(d.Item.Id, d.Receipt.Reply, d.Receipt.Server)).ToList();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                owned = await _outbox.Store.MarkSentAsync(deliveries, worker, CancellationToken.None).ConfigureAwait(true);
                break;
            }
            catch (DbException e) when (attempt < Tries)
            {
                LogStoreUnavailable(_logger, e);
                await Task.Delay(TimeSpan.FromMilliseconds(250 * attempt), _outbox.Time).ConfigureAwait(true);
            }
            catch (DbException e)
            {
                // The server has the mails but the outbox could not say so: they are sent again after the claim expires.
                foreach (var (item, _) in recording)
                {
                    LogRecordFailed(_logger, item.MessageId, e);
                }

                return;
            }
        }

        var now = _outbox.Time.GetUtcNow();
        for (var i = 0; i < recording.Count; i++)
        {
            var item = recording[i].Item;
            if (!owned[i])
            {
                LogClaimLost(_logger, item.MessageId);
                continue;
            }

            _outbox.Metrics.Sent(now - DueSince(item));
            LogDelivered(_logger, item.MessageId, item.Attempts);
        }
    }

    private async Task<Exception?> RecordFailureAsync(string worker, OutboxItem item, Exception error, System.Diagnostics.Activity? activity = null)
    {
        // The span says what the attempt led to; its error is the exception's type (a reply may name an address).
        activity?.SetStatus(System.Diagnostics.ActivityStatusCode.Error, error.GetType().Name);
        activity?.SetTag("error.type", error.GetType().FullName);
        var reply = (error as MailDeliveryException)?.ServerReply ?? error.Message;
        var now = _outbox.Time.GetUtcNow();
        try
        {
            if (error is MailBudgetExceededException overBudget)
            {
                // Not tried, so not an attempt: the mail waits in the queue until the budget has room.
                if (await _outbox.Store.DeferAsync(item.Id, worker, overBudget.RetryAt, overBudget.Message, CancellationToken.None).ConfigureAwait(true))
                {
                    activity?.SetTag(Telemetry.MailTelemetry.OutcomeTag, "deferred");
                    LogDeferred(_logger, item.MessageId, overBudget.RetryAt, overBudget.Message);
                    if (overBudget.RetryAt <= now)
                    {
                        // To be tried again at once (another connection may go to a server with room): claimed next, not
                        // at the next poll.
                        _outbox.Wake();
                    }
                }
            }
            else if (RetryPolicy.IsPermanent(error))
            {
                if (await _outbox.Store.MarkFailedAsync(item.Id, worker, reply, CancellationToken.None).ConfigureAwait(true))
                {
                    _outbox.Metrics.Failed();
                    LogFailed(_logger, item.MessageId, reply);
                    activity?.SetTag(Telemetry.MailTelemetry.OutcomeTag, "failed");
                }
            }
            // An outage is not the mail's fault: connection failures give up by age alone, so a long outage does not
            // use up every queued mail's attempts.
            else if ((!RetryPolicy.IsConnectionFailure(error) && item.Attempts >= _outbox.Options.MaxAttempts)
                || now - DueSince(item) >= _outbox.Options.MaxAge)
            {
                if (await _outbox.Store.MarkFailedAsync(item.Id, worker, $"Gave up after {item.Attempts} attempt(s): {reply}", CancellationToken.None).ConfigureAwait(true))
                {
                    _outbox.Metrics.Failed();
                    LogGaveUp(_logger, item.MessageId, item.Attempts, reply);
                    activity?.SetTag(Telemetry.MailTelemetry.OutcomeTag, "failed");
                }
            }
            else
            {
                var delay = RetryPolicy.Delay(item.Attempts, _outbox.Options, Random.Shared.NextDouble());
                if (await _outbox.Store.MarkRetryAsync(item.Id, worker, delay, reply, CancellationToken.None).ConfigureAwait(true))
                {
                    _outbox.Metrics.Retried();
                    activity?.SetTag(Telemetry.MailTelemetry.OutcomeTag, "retry");
                    if (RetryPolicy.IsConnectionFailure(error))
                    {
                        // Not the mail's fault: one warning for the whole outage, the mails themselves at Debug.
                        _outage.Failed(error);
                        LogPutOff(_logger, item.MessageId, item.Attempts, now + delay, reply);
                    }
                    else
                    {
                        LogRetrying(_logger, item.MessageId, item.Attempts, now + delay, reply);
                    }
                }
            }
        }
        catch (DbException e)
        {
            LogRecordFailed(_logger, item.MessageId, e);
        }

        return RetryPolicy.IsConnectionFailure(error) ? error : null;
    }

    /// <summary>Since when the mail is due: when it was queued, or its scheduled time when that is later (a mail
    /// scheduled for next week is not a week late when it goes).</summary>
    private static DateTimeOffset DueSince(OutboxItem item) => item.NotBefore > item.CreatedAt ? item.NotBefore.Value : item.CreatedAt;

    private async Task MaintainAsync(CancellationToken stoppingToken)
    {
        var lastCleanup = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var now = _outbox.Time.GetUtcNow();
                _outbox.Metrics.Observe(await _outbox.Store.GetBacklogAsync(stoppingToken).ConfigureAwait(true), now);
                if (now - lastCleanup > TimeSpan.FromHours(1))
                {
                    await _outbox.Store.DeleteSentBeforeAsync(now - _outbox.Options.KeepSent, stoppingToken).ConfigureAwait(true);
                    lastCleanup = now;
                }
            }
            catch (DbException e)
            {
                LogStoreUnavailable(_logger, e);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await DelayAsync(s_maintenanceInterval, stoppingToken).ConfigureAwait(true);
        }
    }

    /// <summary>Waits for mail handed over, a wake, or the next poll of the store, whichever comes first. The connection
    /// stays open for mail that comes soon (a sender queueing a list hands its workers mail in bursts, and each burst
    /// would otherwise cost a QUIT, a connect and an EHLO); one unused for <see cref="ConnectionLinger"/> is closed, freeing
    /// the server's slot until there is mail again.</summary>
    private async Task IdleAsync(DeliverySession session, OutboxLane lane, CancellationToken stoppingToken)
    {
        var wait = lane.UntilClaimDue(_outbox.Time, _outbox.Options.PollInterval);
        if (await session.CloseWhenIdleAsync(ConnectionLinger).ConfigureAwait(true) is { } closeIn && closeIn < wait)
        {
            wait = closeIn;
        }

        await WaitForWorkAsync(lane, wait, stoppingToken).ConfigureAwait(true);
    }

    /// <summary>How long an idle worker keeps its connection: a poll interval, and never longer than
    /// <see cref="MailOptions.PoolIdleTimeout"/>, which is shorter than servers wait before they drop an idle client.</summary>
    private TimeSpan ConnectionLinger =>
        _outbox.Options.PollInterval < _mail.PoolIdleTimeout ? _outbox.Options.PollInterval : _mail.PoolIdleTimeout;

    private async Task WaitForWorkAsync(OutboxLane lane, TimeSpan timeout, CancellationToken stoppingToken)
    {
        try
        {
            await lane.WaitAsync(timeout, _outbox.Time, stoppingToken).ConfigureAwait(true);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    /// <summary>Waits a poll interval after an error before the worker tries again. Meanwhile its lane is set aside: mail
    /// queued in the meantime goes to the other workers or to the store, and what was handed to it before the error is
    /// given back to the store for them (when the store cannot take it back, it waits for this worker, which renews its
    /// claim before sending it: <see cref="OutboxRuntime.GiveBackAsync"/>).</summary>
    private async Task BackOffAsync(OutboxLane lane, CancellationToken stoppingToken)
    {
        try
        {
            if (_outbox.Lanes.Rest(lane, resting: true) is { Count: > 0 } waiting)
            {
                // Whatever the store throws, the mails stay in the lane (the lane is open: the worker is the one resting).
                await _outbox.GiveBackAsync(lane, waiting).ConfigureAwait(true);
            }

            await DelayAsync(_outbox.Options.PollInterval, stoppingToken).ConfigureAwait(true);
        }
        finally
        {
            _outbox.Lanes.Rest(lane, resting: false);
        }
    }

    private async Task DelayAsync(TimeSpan delay, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(delay, _outbox.Time, stoppingToken).ConfigureAwait(true);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: {Connections} connection(s) deliver from {Outbox} to {Transport}")]
    private static partial void LogStarted(ILogger logger, int connections, string outbox, string transport);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox delivered {MessageId} (attempt {Attempt})")]
    private static partial void LogDelivered(ILogger logger, string messageId, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox: {MessageId} attempt {Attempt} put off by the outage, next attempt at {Next:u}: {Reply}")]
    private static partial void LogPutOff(ILogger logger, string messageId, int attempt, DateTimeOffset next, string reply);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outbox: {MessageId} waits for the sending budget until {Next:u}: {Reason}")]
    private static partial void LogDeferred(ILogger logger, string messageId, DateTimeOffset next, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: {MessageId} attempt {Attempt} failed, next attempt at {Next:u}: {Reply}")]
    private static partial void LogRetrying(ILogger logger, string messageId, int attempt, DateTimeOffset next, string reply);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: {MessageId} not sent, every recipient is on the suppression list: {Reason}")]
    private static partial void LogSuppressed(ILogger logger, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: a recipient the server refused as unknown is now on the suppression list ({Reply})")]
    private static partial void LogUnknownRecipientSuppressed(ILogger logger, string reply);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: {MessageId} refused for good: {Reply}")]
    private static partial void LogFailed(ILogger logger, string messageId, string reply);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: gave up on {MessageId} after {Attempts} attempt(s): {Reply}")]
    private static partial void LogGaveUp(ILogger logger, string messageId, int attempts, string reply);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: the claim on {MessageId} had expired and another worker took it over; this one leaves it")]
    private static partial void LogClaimLost(ILogger logger, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: {Worker} hit an unexpected error; it goes on")]
    private static partial void LogWorkerError(ILogger logger, string worker, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: delivering {MessageId} failed unexpectedly; it will be tried again")]
    private static partial void LogUnexpected(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: the outcome of {MessageId} could not be recorded")]
    private static partial void LogRecordFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Outbox: the outbox database cannot be reached; retrying")]
    private static partial void LogStoreUnavailable(ILogger logger, Exception exception);
}
