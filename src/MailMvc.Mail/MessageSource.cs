using System.Runtime.ExceptionServices;
using MailMvc.Mail.Transport;

namespace MailMvc.Mail;

/// <summary>
/// The caller's sequence of <see cref="IMailer.SendManyAsync{TState}"/>, read on the run's preparing thread: an item
/// the caller has ready (a render that finishes at once) costs no thread hand-off, one it has not is waited for.
/// </summary>
internal sealed class MessageSource<T> : IAsyncDisposable
{
    private readonly IAsyncEnumerator<T> _enumerator;
    private readonly CancellationToken _stop;
    private Task<bool>? _pending;
    private bool _ended;
    private volatile bool _waiting;

    public MessageSource(IAsyncEnumerable<T> items, CancellationToken stop)
    {
        _stop = stop;
        _enumerator = items.GetAsyncEnumerator(stop);
    }

    /// <summary>The item <see cref="MoveNext"/> moved to.</summary>
    public T Current => _enumerator.Current;

    /// <summary>True while the preparing thread waits for the caller's next item. A caller that hands over only so many
    /// messages ahead of their results (a bulk list's rows in flight) may be waiting for the results the send threads
    /// hold, so they hand them back at once then.</summary>
    public bool Waiting => _waiting;

    /// <summary>Why the caller's sequence ended early, to hand to the caller once the messages in hand are reported.</summary>
    public ExceptionDispatchInfo? Error { get; private set; }

    /// <summary>Moves to the next item, waiting for it. False when the sequence has ended, failed or was stopped.</summary>
    public bool MoveNext()
    {
        if (_ended || _stop.IsCancellationRequested)
        {
            return false;
        }

        try
        {
            var next = _enumerator.MoveNextAsync();
            bool moved;
            if (next.IsCompleted)
            {
                moved = next.GetAwaiter().GetResult();
            }
            else
            {
                _pending = next.AsTask();
                _waiting = true;
                try
                {
                    moved = SendThread.Wait(_pending);
                }
                finally
                {
                    _waiting = false;
                }

                _pending = null;
            }

            _ended = !moved;
            return moved;
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            _ended = true;
            return false;
        }
        catch (Exception e)
        {
            // The caller's sequence failed: the messages in hand are still sent and reported before the caller sees it.
            _ended = true;
            Error = ExceptionDispatchInfo.Capture(e);
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // A read still under way (a caller's sequence that ignores cancellation) cannot be disposed under it.
        if (_pending is null || _pending.IsCompleted)
        {
            await _enumerator.DisposeAsync().ConfigureAwait(false);
        }
    }
}
