using System.Diagnostics;
using System.Threading.Channels;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging;

namespace MailMvc.Mail;

/// <summary>
/// One run of <see cref="IMailer.SendManyAsync{TState}"/>: a preparing thread reads the caller's messages (which
/// renders them), ahead of a send thread per connection that does its connection's exchange, start to finish on that
/// thread. The interceptors, checks and MIME build of each message run on a build thread between the two when there is
/// one connection, and on the send thread that takes the message when there are several. Results go back to the
/// caller a few at a time.
/// </summary>
/// <remarks>On one connection, building the next mail while the connection waits for the server's reply to the last one
/// is where most of the speed comes from; reading and building on one thread was then the limit (each about half of
/// it), so they run on two. On several connections the building is shared by their threads. The queues between the
/// threads wake one only when they must (see <see cref="HandOffQueue{T}"/>).</remarks>
internal sealed class SendManyRun<TState> : IAsyncDisposable
{
    // Results are handed back in small groups: one wake-up of the caller per group instead of one per mail, and never
    // later than the linger, so a slow server's results still arrive one by one.
    private const int ResultGroupSize = 16;

    // The most prepared mails held for a session that takes batches (the outbox's are 32): a session of the app's own
    // may take any number at once, and holding all of them would read the whole sequence into memory.
    private const int MaxPreparedAhead = 128;
    private static readonly TimeSpan s_resultLinger = TimeSpan.FromMilliseconds(10);

    // Prepared mails held for each connection (up to MaxPreparedAhead in all): enough that a connection rarely finds none
    // and pipelines runs of up to 16, few enough to keep memory flat. (16 shared by four connections gave each runs of 4
    // and a suppression lookup every 4 mails: 15-20% fewer mails a second; a queue of 64 for one connection measured
    // slower than 16; docs/benchmark.md.)
    private const int PreparedAhead = 16;

    // Messages read but not yet built, for the build thread (one connection), which takes up to half of them at once:
    // one suppression lookup and one wake-up for up to 16 mails (with 8, taking 4, one connection sent 15-20% fewer mails
    // a second; docs/benchmark.md).
    private const int ReadAhead = 32;

    // How long a batch (the outbox's) waits for more of the caller's messages: enough for a fast source to fill it,
    // too short to matter to a slow one.
    private static readonly TimeSpan s_batchLinger = TimeSpan.FromMilliseconds(20);

    private readonly Mailer _mailer;
    private readonly IMailTransport? _transport;
    private readonly ILogger _logger;
    private readonly MessageSource<(Message Message, TState State)> _source;
    private readonly HandOffQueue<Prepared> _queue;

    // One connection only: the messages read, for the build thread.
    private readonly HandOffQueue<Prepared>? _read;
    private readonly Channel<List<MessageSendResult<TState>>> _results;
    private readonly CancellationToken _stop;

    // Cancelled once no send thread is left (they all finished, or failed): the threads filling the queues stop, and the
    // caller's sequence is cancelled, where they would wait for ever if the last send thread died of a fault (a
    // transport of the app's own that throws where it may not, say).
    private readonly CancellationTokenSource _sendersGone;
    private int _senders;
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly int _connections;
    private MailDeliveryException? _fatal;
    private Exception? _failure;
    private int _running;

    public SendManyRun(Mailer mailer, IMailTransport? transport, ILogger logger, IAsyncEnumerable<(Message Message, TState State)> messages,
        int connections, CancellationToken stop)
    {
        _mailer = mailer;
        _transport = transport;
        _logger = logger;
        _connections = connections;
        _stop = stop;
        _sendersGone = CancellationTokenSource.CreateLinkedTokenSource(stop);
        // The caller's sequence is cancelled too when no send thread is left: a caller that waits for results before it
        // hands over more (a bulk list) would otherwise wait for ever for results that will not come.
        _source = new MessageSource<(Message Message, TState State)>(messages, _sendersGone.Token);
        _queue = new HandOffQueue<Prepared>(PreparedCapacity, _sendersGone.Token);
        // Small, and the build thread takes at most half of it at a time: the caller's sequence is read at most 48
        // messages further ahead than with one thread reading and building.
        _read = connections == 1 ? new HandOffQueue<Prepared>(ReadAhead, _sendersGone.Token) : null;
        // Bounded: the senders run at most a few groups ahead of a caller that handles results slowly.
        _results = Channel.CreateBounded<List<MessageSendResult<TState>>>(new BoundedChannelOptions(connections * 4) { SingleReader = true });
    }

    public ChannelReader<List<MessageSendResult<TState>>> Results => _results.Reader;

    /// <summary>How many prepared mails the run holds for its connections.</summary>
    private int PreparedCapacity => Math.Min(PreparedAhead * _connections, MaxPreparedAhead);

    /// <summary>The most prepared mails one connection takes for a pipelined exchange: its share of the queue (and of
    /// what is waiting when it takes), so that while one send thread builds what it took the others have mails to build
    /// too.</summary>
    private int PipelineShare => Math.Max(2, PreparedCapacity / _connections);

    /// <summary>The first connection-level failure, shared by the run's connections: once set, the remaining messages
    /// fail with it instead of each trying a server that is known to be down.</summary>
    private MailDeliveryException? Fatal => Volatile.Read(ref _fatal);

    public void Start()
    {
        // The preparing and build threads count too: the results end when the last thread of the run is done.
        _running = _connections + (_read is null ? 1 : 2);
        _senders = _connections;
        SendThread.Start("MailMvc prepare", Prepare);
        if (_read is not null)
        {
            SendThread.Start("MailMvc build", BuildAhead);
        }

        for (var i = 0; i < _connections; i++)
        {
            SendThread.Start($"MailMvc send {i + 1}", Work);
        }
    }

    /// <summary>Waits for the send threads (after the caller's token or the end of the messages stopped them) and
    /// disposes the caller's sequence.</summary>
    public async ValueTask DisposeAsync()
    {
        await _finished.Task.ConfigureAwait(false);
        await _source.DisposeAsync().ConfigureAwait(false);
        _queue.Dispose();
        _read?.Dispose();
        _sendersGone.Dispose();
    }

    /// <summary>The preparing thread: reads the caller's messages and hands each on to be built, until the end or a
    /// stop.</summary>
    private void Prepare()
    {
        var next = _read ?? _queue;
        try
        {
            while (_source.MoveNext())
            {
                var (message, state) = _source.Current;
                var item = new Prepared(message, state, default, null, Built: false);
                if (!next.Add(item))
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the caller.
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            next.Complete();
            Finish();
        }
    }

    /// <summary>The build thread (one connection): builds the messages read, in order, ahead of the send thread.</summary>
    private void BuildAhead()
    {
        var batch = new List<Prepared>(ReadAhead / 2);
        try
        {
            // A few at a time: what it took waits outside the queues, which bound how far ahead the caller's sequence
            // is read.
            while (_read!.WaitForItems(static () => { }))
            {
                batch.Clear();
                _read.Take(batch, ReadAhead / 2, TimeSpan.Zero);
                var lookedAhead = LookAhead(batch);
                foreach (var item in batch)
                {
                    if (!_queue.Add(Build(item, lookedAhead)))
                    {
                        return;
                    }
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the caller.
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
        }
        finally
        {
            _queue.Complete();
            Finish();
        }
    }

    private void Work()
    {
        var held = new HeldResults(this);
        try
        {
            Send(held);
            held.Flush();
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            // Stopped by the caller.
        }
        catch (Exception e)
        {
            Interlocked.CompareExchange(ref _failure, e, null);
            try
            {
                // The results of the mails this thread sent before it failed still reach the caller.
                held.Flush();
            }
            catch (Exception)
            {
                // The failure recorded above ends the run; nothing more can be handed back.
            }
        }
        finally
        {
            if (Interlocked.Decrement(ref _senders) == 0)
            {
                // Nothing takes from the queues any more. After a normal end they are done already; after a fault,
                // the threads filling them would otherwise wait for room for ever.
                _sendersGone.Cancel();
            }

            Finish();
        }
    }

    private void Finish()
    {
        if (Interlocked.Decrement(ref _running) == 0)
        {
            _results.Writer.TryComplete(_failure ?? _source.Error?.SourceException);
            _finished.TrySetResult();
        }
    }

    private void Send(HeldResults held)
    {
        var connection = new MailConnection(_mailer, _transport, _logger);
        try
        {
            var batch = new List<Prepared>();
            while (!_stop.IsCancellationRequested && _queue.WaitForItems(held.Flush))
            {
                if (!connection.IsOpen && Fatal is null)
                {
                    // Opened before the first message is taken, so a session that takes batches gets a full first batch.
                    TryOpen(connection);
                    _queue.Reserve(Math.Min(connection.BatchSize, MaxPreparedAhead));
                }

                // A pipelining connection takes what is waiting (no linger: it gains from any number), its share when
                // several connections build what they take.
                var pipeline = Fatal is null ? Math.Min(connection.PipelineDepth, PipelineShare) : 0;
                batch.Clear();
                if (pipeline > 1)
                {
                    _queue.Take(batch, pipeline, TimeSpan.Zero, sharedBy: _connections);
                }
                else
                {
                    _queue.Take(batch, Fatal is null ? connection.BatchSize : 1, s_batchLinger);
                }

                var lookedAhead = LookAhead(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (!batch[i].Built)
                    {
                        batch[i] = Build(batch[i], lookedAhead);
                    }
                }

                if (batch.Count == 1)
                {
                    var item = batch[0];
                    var (receipt, error) = TrySend(connection, item);
                    held.Add(new MessageSendResult<TState>(item.Message, item.State, receipt, error));
                }
                else if (batch.Count > 1 && pipeline > 1)
                {
                    SendPipelined(connection, batch, held);
                }
                else if (batch.Count > 1)
                {
                    SendBatch(connection, batch, held);
                }
            }
        }
        finally
        {
            SendThread.Wait(connection.DisposeAsync());
        }
    }

    /// <summary>Sends a batch as one a session takes whole (the outbox's).</summary>
    private void SendBatch(MailConnection connection, List<Prepared> batch, HeldResults held)
    {
        var ready = batch.Where(item => item.Error is null).Select(item => (item.Message, item.Ready)).ToList();
        var outcomes = ready.Count == 0 ? [] : SendThread.Wait(connection.SendBatchAsync(ready, _stop));
        var next = 0;
        foreach (var item in batch)
        {
            var (receipt, error) = item.Error is null ? outcomes[next++] : (null, item.Error);
            Add(held, item, receipt, error);
        }
    }

    /// <summary>Sends a batch in pipelined exchanges, each result handed on as soon as it is known.</summary>
    private void SendPipelined(MailConnection connection, List<Prepared> batch, HeldResults held)
    {
        var ready = new List<(Message Message, PreparedMessage Prepared)>(batch.Count);
        var positions = new List<int>(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i].Error is { } error)
            {
                Add(held, batch[i], null, error);
            }
            else
            {
                ready.Add((batch[i].Message, batch[i].Ready));
                positions.Add(i);
            }
        }

        if (ready.Count > 0)
        {
            SendThread.Wait(connection.SendPipelinedAsync(ready, (index, receipt, error) => Add(held, batch[positions[index]], receipt, error), _stop));
        }
    }

    private void Add(HeldResults held, Prepared item, MailReceipt? receipt, Exception? error)
    {
        if (error is MailDeliveryException { IsConnectionFailure: true } failure)
        {
            SetFatal(failure);
        }

        held.Add(new MessageSendResult<TState>(item.Message, item.State, receipt, error));
    }

    private void TryOpen(MailConnection connection)
    {
        try
        {
            SendThread.Wait(connection.OpenAsync(_stop));
        }
        catch (MailDeliveryException e) when (e.IsConnectionFailure)
        {
            // Every message of this run fails with it, as when the first send cannot connect.
            SetFatal(e);
        }
        catch (MailDeliveryException)
        {
            // Not about the server as a whole: each message's own send tries again and reports it.
        }
    }

    private (MailReceipt? Receipt, Exception? Error) TrySend(MailConnection connection, Prepared item)
    {
        if ((item.Error ?? Fatal) is { } error)
        {
            return (null, error);
        }

        try
        {
            return (SendThread.Wait(connection.SendPreparedAsync(item.Message, item.Ready, _stop)), null);
        }
        catch (MailDeliveryException e)
        {
            if (e.IsConnectionFailure)
            {
                SetFatal(e);
            }

            return (null, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The message itself is wrong (the transport refused it): that message's result, not the run's end.
            return (null, e);
        }
    }

    private void SetFatal(MailDeliveryException error) => Interlocked.CompareExchange(ref _fatal, error, null);

    /// <summary>Has the interceptors that can look ahead check the messages of <paramref name="batch"/> not yet built at
    /// once (the suppression list: one lookup for them all instead of one a message).</summary>
    /// <returns>What they found, for each message's check (<see cref="Build"/>); null when there is nothing to use.</returns>
    private IReadOnlyDictionary<Suppression.SuppressionListInterceptor, Suppression.SuppressionLookup>? LookAhead(List<Prepared> batch)
    {
        if (!_mailer.LooksAhead)
        {
            return null;
        }

        var unbuilt = batch.Where(item => !item.Built).Select(item => item.Message).ToList();
        return unbuilt.Count > 1 ? SendThread.Wait(_mailer.LookAheadAsync(unbuilt, _stop)) : null;
    }

    /// <summary>Runs the interceptors and checks and builds the MIME of <paramref name="item"/>'s message, with what a
    /// look-ahead over its batch found (<see cref="LookAhead"/>).</summary>
    private Prepared Build(Prepared item, IReadOnlyDictionary<Suppression.SuppressionListInterceptor, Suppression.SuppressionLookup>? lookedAhead)
    {
        try
        {
            return item with { Ready = SendThread.Wait(_mailer.PrepareAsync(item.Message, envelopeFrom: null, lookedAhead, _stop)), Built = true };
        }
        catch (Exception e) when (e is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            // The message itself is wrong, or an interceptor failed on it (a lookup of its own that timed out, too):
            // that message's result, not the run's end. Only the run's own stop ends the run.
            return item with { Error = e, Built = true };
        }
    }

    /// <summary>A message of the caller's, prepared for sending (once <see cref="Built"/>), or why it cannot be.</summary>
    private readonly record struct Prepared(Message Message, TState State, PreparedMessage Ready, Exception? Error, bool Built = true);

    /// <summary>A send thread's results not yet handed to the caller.</summary>
    private sealed class HeldResults(SendManyRun<TState> run)
    {
        private List<MessageSendResult<TState>> _held = new(ResultGroupSize);
        private long _since;
        private long _previous;

        public void Add(MessageSendResult<TState> result)
        {
            var now = Stopwatch.GetTimestamp();
            if (_held.Count == 0)
            {
                // A group's age counts from the result before it: a result that took longer than the linger to come (a
                // slow server) goes at once, where held until the next one came it reached the caller a whole mail late.
                _since = _previous;
            }

            _previous = now;
            _held.Add(result);
            // While the caller's sequence waits, it may be waiting for these results (a caller that keeps only so many
            // messages in flight): held back until the group filled, the connection would run dry first, then idle
            // while the caller hands over the next messages.
            if (_held.Count >= ResultGroupSize || run._source.Waiting || Stopwatch.GetElapsedTime(_since, now) >= s_resultLinger)
            {
                Flush();
            }
        }

        public void Flush()
        {
            if (_held.Count == 0)
            {
                return;
            }

            var group = _held;
            _held = new List<MessageSendResult<TState>>(ResultGroupSize);
            if (!run._results.Writer.TryWrite(group))
            {
                SendThread.Wait(run._results.Writer.WriteAsync(group, run._stop));
            }
        }
    }
}
