using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using MailMvc.Mail;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Welcome;

/// <summary>
/// Sends the running lists in the background, fairly: the lists this instance holds take turns, a slice of
/// <see cref="BulkWelcomeOptions.SliceRows"/> rows each, over <see cref="BulkWelcomeOptions.Connections"/> connections
/// shared by all of them, so a short list is never stuck behind a long one. Up to
/// <see cref="BulkWelcomeOptions.RowsInFlight"/> rows per connection are in flight: rows are marked sending in the store
/// before they are handed over (the rows for the slots free at that moment together, in the transaction that records the
/// results that came since), so the store never holds more rows sending than there are slots, and a crash sends again at
/// most those (with the same Message-ID, <c>bulk.{job}.{line}@…</c>). Into the outbox, which hands results back once it
/// has stored a batch of mails, rows are not held back for slots, and a crash queues again the rows it stored whose
/// results were not yet recorded (they are recorded every <see cref="QueuedFlushRows"/>). Pause and Cancel take effect at
/// the next batch of rows marked: the rows already marked sending still go (at most
/// <see cref="BulkWelcomeOptions.RowsInFlight"/> a connection; into the outbox, those the mailer has read ahead).
/// Also deletes lists past <see cref="BulkWelcomeOptions.KeepJobs"/>.
/// </summary>
public sealed partial class BulkJobRunner : BackgroundService
{
    private static readonly TimeSpan s_claimDuration = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan s_refreshInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_stopMemory = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan s_retentionInterval = TimeSpan.FromMinutes(10);

    // Into the outbox, results are recorded by the loop that reads them once this many wait: no feed marking rows records
    // them, as the outbox hands results back only once it has stored a batch.
    private const int QueuedFlushRows = 16;
    private static readonly TimeSpan s_lastFlushTimeout = TimeSpan.FromSeconds(10);

    private readonly Infrastructure.MailErrorText _errors;
    private readonly IBulkJobStore _store;
    private readonly IMailer _mailer;
    private readonly WelcomeMailFactory _factory;
    private readonly IServiceProvider _services;
    private readonly BulkWelcomeOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<BulkJobRunner> _logger;
    private readonly string _worker = $"{Environment.MachineName}/{Environment.ProcessId}/{BulkJobId.New()}";

    // Jobs paused or cancelled in this process, dropped by the feed at once; after a few seconds the store says so too.
    private readonly ConcurrentDictionary<string, long> _stopped = new();
    private TaskCompletionSource _signal = NewSignal();
    private volatile bool _claimsChanged;

    public BulkJobRunner(IBulkJobStore store, IMailer mailer, WelcomeMailFactory factory, IServiceProvider services, IOptions<BulkWelcomeOptions> options,
        TimeProvider time, Infrastructure.MailErrorText errors, ILogger<BulkJobRunner> logger)
    {
        _errors = errors;
        _store = store;
        _mailer = mailer;
        _factory = factory;
        _services = services;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    /// <summary>Says a job was started or resumed: it gets its turn at once.</summary>
    public void Started(string jobId)
    {
        _stopped.TryRemove(jobId, out _);
        _claimsChanged = true;
        Wake();
    }

    /// <summary>Says a job was paused or cancelled: no further row of it is handed to a connection.</summary>
    public void Stopped(string jobId)
    {
        _stopped[jobId] = _time.GetTimestamp();
        Wake();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var lastRetention = long.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (lastRetention == long.MinValue || _time.GetElapsedTime(lastRetention) > s_retentionInterval)
                {
                    var deleted = await _store.DeleteOldJobsAsync(_time.GetUtcNow() - _options.KeepJobs, stoppingToken);
                    if (deleted > 0)
                    {
                        LogRetention(_logger, deleted, _options.KeepJobs);
                    }

                    lastRetention = _time.GetTimestamp();
                }

                var signal = Volatile.Read(ref _signal).Task;
                _claimsChanged = false;
                var jobs = await _store.ClaimRunningJobsAsync(_worker, s_claimDuration, idle: true, stoppingToken);
                if (jobs.Count == 0)
                {
                    await Task.WhenAny(signal, Task.Delay(s_refreshInterval, stoppingToken));
                    continue;
                }

                if (await RunAsync(jobs, stoppingToken) == 0)
                {
                    // Held jobs with nothing to send now (paused here a moment ago, or rows in flight elsewhere).
                    await Task.WhenAny(signal, Task.Delay(s_refreshInterval, stoppingToken));
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database or the templates failing must not stop the app; the rows in flight are sent again next time.
                LogRunFailed(_logger, e);
                await Task.WhenAny(Task.Delay(s_refreshInterval, stoppingToken));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            await _store.ReleaseClaimsAsync(_worker, cancellationToken);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or InvalidOperationException)
        {
            // Not released: another worker takes the jobs once the claims expire.
            LogReleaseFailed(_logger, e);
        }
    }

    /// <returns>The number of rows sent (or tried).</returns>
    private async Task<int> RunAsync(IReadOnlyList<string> jobs, CancellationToken cancellationToken)
    {
        var results = 0;
        // Into the outbox, a run lasts while the lists have rows to hand over (see FeedAsync). Storing is quick; the
        // outbox's workers deliver.
        var queueing = _services.GetService<Mail.Outbox.IMailOutbox>() is { IsEnabled: true };
        // Up to RowsInFlight rows a connection are handed over ahead of their results, so the mailer renders and builds
        // the next while one is sent; they are also the most rows a crash can send twice.
        var run = new Run(_options.Connections * _options.RowsInFlight, queueing, Wake);
        try
        {
            await foreach (var result in _mailer.SendManyAsync(FeedAsync(run, jobs, cancellationToken), _options.Connections, cancellationToken))
            {
                var ticket = result.State;
                var (outcome, detail) = (result.Receipt, result.Error) switch
                {
                    ({ Disposition: MailDisposition.Queued } receipt, _) => (BulkRowOutcome.Queued, receipt.MessageId),
                    ({ Disposition: MailDisposition.Stopped } receipt, _) => (BulkRowOutcome.Failed, receipt.Reason ?? "Stopped before sending."),
                    ({ Disposition: MailDisposition.Suppressed, Reason: { } reason }, _) => (BulkRowOutcome.Suppressed, $"Not sent: {reason}."),
                    ({ } receipt, _) => (BulkRowOutcome.Sent, receipt.MessageId),
                    (_, MailRecipientRefusedException refused) => (BulkRowOutcome.Refused, refused.ServerReply ?? refused.Message),
                    // Outside Development the people who read results get no server names (the log has them).
                    (_, MailDeliveryException error) => (BulkRowOutcome.Failed, _errors.Describe(error)),
                    (_, var error) => (BulkRowOutcome.Failed, error?.Message ?? "Not sent."),
                };
                if (result.Error is MailDeliveryException { IsConnectionFailure: true } failure)
                {
                    LogConnectFailed(_logger, ticket.JobId, failure);
                    await _store.SetErrorAsync(ticket.JobId,
                        $"{_errors.Describe(failure)} The rows marked Failed were not sent; upload the list again once the server is back (the rows already sent are skipped).",
                        cancellationToken);
                }

                // Recorded with the next rows marked sending (one transaction), so a row's result costs no commit of its own.
                run.Done(new BulkRowCompletion(ticket.JobId, ticket.Line, outcome, detail));
                results++;
                if (run.Queueing && run.Completed >= QueuedFlushRows)
                {
                    await RecordAsync(run, cancellationToken);
                }
            }
        }
        finally
        {
            // Also when the run failed (the database, a template) or the app is stopping: the mails already handed over
            // were sent, and a row left marked sending would be sent again.
            await RecordLastAsync(run);
        }

        foreach (var jobId in jobs.Union(run.Jobs))
        {
            if (await _store.FinishIfDoneAsync(jobId, cancellationToken))
            {
                LogFinished(_logger, jobId);
            }
        }

        return results;
    }

    /// <summary>The rows to send, the running jobs taking turns, one row per free connection.</summary>
    private async IAsyncEnumerable<(Message, BulkRowTicket)> FeedAsync(Run run, IReadOnlyList<string> claimed,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var cursors = new Dictionary<string, Cursor>();
        var order = new List<string>();
        var refreshed = _time.GetTimestamp();
        Adopt(claimed);
        var turn = 0;
        var idleTurns = 0;
        while (true)
        {
            var signal = Volatile.Read(ref _signal).Task;
            if (_claimsChanged || _time.GetElapsedTime(refreshed) >= s_refreshInterval)
            {
                await RenewClaimsAsync();
            }

            order.RemoveAll(IsStopped);
            if (order.Count == 0 || idleTurns >= order.Count)
            {
                // Into the outbox the run ends here, with nothing left to hand over: the outbox hands results back only
                // once it has stored a batch, and it takes the last one only once the feed ends, so a feed that waited
                // for results would wait for ever.
                if (run.Queueing || (order.Count == 0 && run.InFlight == 0))
                {
                    yield break;
                }

                // Nothing to hand over now: record the results so far, then wait for a result, a new job, or the next look
                // at the store.
                idleTurns = 0;
                await RecordAsync(run, cancellationToken);
                await Task.WhenAny(signal, Task.Delay(s_refreshInterval, cancellationToken));
                continue;
            }

            var jobId = order[turn++ % order.Count];
            var cursor = cursors[jobId];
            var handed = 0;
            var limit = run.Queueing ? _options.SliceRows * 10 : _options.SliceRows;
            while (handed < limit)
            {
                if (cursor.Rows.Count == 0 && !cursor.Exhausted)
                {
                    await cursor.LoadAsync(_store, cancellationToken);
                }

                if (cursor.Rows.Count == 0)
                {
                    break;
                }

                // A free connection slot for the first row, and the rows for any other slots free now, marked sending in one
                // transaction with the results recorded since the last time.
                // While it waits (a slow server), the claims are renewed: once they expired, another instance sharing the
                // store would take the job and send the rows in flight here again.
                while (!await run.WaitForSlotAsync(s_refreshInterval, cancellationToken))
                {
                    await RenewClaimsAsync();
                }

                if (!cursors.ContainsKey(jobId))
                {
                    // No longer held here.
                    run.Slots.Release();
                    break;
                }

                var take = 1 + run.TakeFreeSlots(Math.Min(Math.Min(limit - handed, cursor.Rows.Count), _options.RowsInFlight) - 1);
                if (IsStopped(jobId))
                {
                    run.Slots.Release(take);
                    break;
                }

                var rows = new Dictionary<int, BulkRowResult>(take);
                for (var i = 0; i < take; i++)
                {
                    var next = cursor.Rows.Dequeue();
                    rows[next.Row] = next;
                }

                IReadOnlyList<int> marked;
                try
                {
                    marked = await run.RecordAsync(completed => _store.MarkSendingAsync(jobId, rows.Keys.ToList(), completed, cancellationToken));
                }
                catch
                {
                    run.Slots.Release(take);
                    throw;
                }

                if (marked.Count < take)
                {
                    run.Slots.Release(take - marked.Count);
                }

                foreach (var line in marked)
                {
                    var message = await PrepareAsync(jobId, rows[line], cursor.SendAt, run, cancellationToken);
                    if (message is null)
                    {
                        continue;
                    }

                    run.Start(jobId);
                    handed++;
                    yield return (message, new BulkRowTicket(jobId, line));
                }
            }

            idleTurns = handed > 0 ? 0 : idleTurns + 1;
            if (cursor.Exhausted && cursor.Rows.Count == 0 && run.InFlightOf(jobId) == 0)
            {
                order.Remove(jobId);
                cursors.Remove(jobId);
                // The turns counted idle were of the order before: count again, or a list still with rows could be
                // skipped and the run end early.
                idleTurns = 0;
                await RecordAsync(run, cancellationToken);
                if (await _store.FinishIfDoneAsync(jobId, cancellationToken))
                {
                    LogFinished(_logger, jobId);
                }
            }
        }

        async Task RenewClaimsAsync()
        {
            _claimsChanged = false;
            Adopt(await _store.ClaimRunningJobsAsync(_worker, s_claimDuration, idle: false, cancellationToken));
            refreshed = _time.GetTimestamp();
        }

        void Adopt(IReadOnlyList<string> held)
        {
            foreach (var id in held.Where(id => !order.Contains(id) && !IsStopped(id)))
            {
                cursors.TryAdd(id, new Cursor(id));
                order.Add(id);
            }

            order.RemoveAll(id => !held.Contains(id));
            foreach (var gone in cursors.Keys.Where(id => !held.Contains(id)).ToList())
            {
                cursors.Remove(gone);
            }
        }
    }

    /// <summary>Records the results queued so far; if that fails they stay queued for the next try.</summary>
    private Task RecordAsync(Run run, CancellationToken cancellationToken) =>
        run.RecordAsync(async completed =>
        {
            await _store.CompleteRowsAsync(completed, cancellationToken);
            return completed.Count;
        });

    /// <summary>Records the results left at the end of a run, even one ended by an error or by stopping the app.</summary>
    private async Task RecordLastAsync(Run run)
    {
        using var timeout = new CancellationTokenSource(s_lastFlushTimeout);
        try
        {
            await RecordAsync(run, timeout.Token);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OperationCanceledException or InvalidOperationException)
        {
            // The rows stay marked sending: the next run sends them again, with the same Message-ID.
            LogRecordFailed(_logger, run.Completed, e);
        }
    }

    /// <summary>The row's welcome mail with its Message-ID, or null when it cannot be made: then the row failed (its
    /// result is recorded with the next ones) and its slot is free again.</summary>
    private async Task<Message?> PrepareAsync(string jobId, BulkRowResult row, DateTimeOffset? sendAt, Run run, CancellationToken cancellationToken)
    {
        try
        {
            var message = await _factory.CreateForListAsync(row.Name, row.Email, row.Locale, cancellationToken);
            // Derived from the row, so a row sent again after a crash is recognisable as the same mail.
            var domain = message.MessageId[(message.MessageId.LastIndexOf('@') + 1)..];
            message.MessageId = $"bulk.{jobId}.{row.Row}@{domain}";
            message.NotBefore = sendAt;
            return message;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogRenderFailed(_logger, jobId, row.Row, e);
            run.Failed(new BulkRowCompletion(jobId, row.Row, BulkRowOutcome.Failed, $"The welcome mail could not be made: {e.Message}"));
            return null;
        }
    }

    private bool IsStopped(string jobId) =>
        _stopped.TryGetValue(jobId, out var since) && (_time.GetElapsedTime(since) < s_stopMemory || !_stopped.TryRemove(jobId, out _));

    private void Wake() => Interlocked.Exchange(ref _signal, NewSignal()).TrySetResult();

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>One job's place in its list: the waiting rows after the last one handed over, a page at a time.</summary>
    private sealed class Cursor(string jobId)
    {
        private const int PageRows = 200;
        private int _afterLine;

        public Queue<BulkRowResult> Rows { get; } = new();

        public bool Exhausted { get; private set; }

        /// <summary>When the job's mails go (read with the first page), or null for at once.</summary>
        public DateTimeOffset? SendAt { get; private set; }

        private bool _jobRead;

        public async Task LoadAsync(IBulkJobStore store, CancellationToken cancellationToken)
        {
            if (!_jobRead)
            {
                SendAt = (await store.GetJobAsync(jobId, cancellationToken))?.SendAt;
                _jobRead = true;
            }

            var page = await store.ListWaitingRowsAsync(jobId, _afterLine, PageRows, cancellationToken);
            foreach (var row in page)
            {
                Rows.Enqueue(row);
                _afterLine = row.Row;
            }

            Exhausted = page.Count < PageRows;
        }
    }

    /// <summary>One <see cref="IMailer.SendManyAsync{TState}"/> run: a free connection per slot, the rows in flight per job,
    /// and the results not yet recorded.</summary>
    private sealed class Run(int rowsInFlight, bool queueing, Action wake)
    {
        private readonly ConcurrentDictionary<string, int> _inFlight = new();
        private readonly ConcurrentQueue<BulkRowCompletion> _completed = new();
        private int _total;

        /// <summary>True when mail goes into the outbox: rows are not held back for slots, and the run lasts while the
        /// lists have rows to hand over.</summary>
        public bool Queueing => queueing;

        public SemaphoreSlim Slots { get; } = new(rowsInFlight, int.MaxValue);

        /// <returns>False when no slot came free within <paramref name="timeout"/>.</returns>
        public Task<bool> WaitForSlotAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
            queueing ? Task.FromResult(true) : Slots.WaitAsync(timeout, cancellationToken);

        /// <summary>Takes up to <paramref name="most"/> more slots that are free now, without waiting.</summary>
        /// <returns>How many were taken.</returns>
        public int TakeFreeSlots(int most)
        {
            var taken = 0;
            while (taken < most && (queueing || Slots.Wait(0)))
            {
                taken++;
            }

            return taken;
        }

        public int InFlight => Volatile.Read(ref _total);

        public int InFlightOf(string jobId) => _inFlight.GetValueOrDefault(jobId);

        /// <summary>The lists this run handed rows of (those taken up during the run too).</summary>
        public IEnumerable<string> Jobs => _inFlight.Keys;

        /// <summary>The results waiting to be recorded.</summary>
        public int Completed => _completed.Count;

        public void Start(string jobId)
        {
            _inFlight.AddOrUpdate(jobId, 1, (_, n) => n + 1);
            Interlocked.Increment(ref _total);
        }

        /// <summary>A row handed over got its result. The result is queued before the slot is freed: whoever takes the
        /// slot records it, so no more rows are left sending in the store than there are slots.</summary>
        public void Done(BulkRowCompletion result)
        {
            _completed.Enqueue(result);
            _inFlight.AddOrUpdate(result.JobId, 0, (_, n) => n - 1);
            Interlocked.Decrement(ref _total);
            Slots.Release();
            wake();
        }

        /// <summary>A row marked sending was never handed over (its mail could not be made).</summary>
        public void Failed(BulkRowCompletion result)
        {
            _completed.Enqueue(result);
            Slots.Release();
        }

        /// <summary>Hands the results queued so far to <paramref name="write"/>; if it throws, they are queued again for
        /// the next write.</summary>
        public async Task<T> RecordAsync<T>(Func<IReadOnlyList<BulkRowCompletion>, Task<T>> write)
        {
            var taken = TakeCompleted();
            try
            {
                return await write(taken);
            }
            catch
            {
                foreach (var result in taken)
                {
                    _completed.Enqueue(result);
                }

                throw;
            }
        }

        private List<BulkRowCompletion> TakeCompleted()
        {
            var taken = new List<BulkRowCompletion>(_completed.Count);
            while (_completed.TryDequeue(out var result))
            {
                taken.Add(result);
            }

            return taken;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk lists: deleted {Count} list(s) finished more than {KeepJobs} ago")]
    private static partial void LogRetention(ILogger logger, int count, TimeSpan keepJobs);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk lists: sending stopped; it starts again in a second")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk lists: the results of {Count} row(s) could not be recorded; those rows are sent again")]
    private static partial void LogRecordFailed(ILogger logger, int count, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Bulk lists: the claims were not released at shutdown")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Bulk list {JobId} finished")]
    private static partial void LogFinished(ILogger logger, string jobId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk list {JobId}: the welcome mail of line {Line} could not be made")]
    private static partial void LogRenderFailed(ILogger logger, string jobId, int line, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Bulk list {JobId}: the mail server could not be used; the remaining rows fail")]
    private static partial void LogConnectFailed(ILogger logger, string jobId, Exception exception);
}
