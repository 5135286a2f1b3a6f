using System.Diagnostics;

namespace MailMvc.Mail;

/// <summary>
/// Hands messages from one producing thread to the threads taking them with as few wake-ups as possible: a taker that
/// finds messages waiting never sleeps, and the producer, once the queue is full, is woken only when half of it has
/// gone, then fills it again in one go. A send thread gathering a batch is woken once the batch is there, not for each
/// message. A bulk run has one between its preparing thread (or, on one connection, its build thread) and its send
/// threads, and on one connection another between the preparing thread and the build thread.
/// </summary>
internal sealed class HandOffQueue<T> : IDisposable
{
    private readonly object _gate = new();
    private readonly Queue<T> _items;
    private int _capacity;
    private readonly CancellationToken _stop;
    private readonly CancellationTokenRegistration _onStop;
    private bool _completed;
    private bool _producerWaiting;
    private int _takersWaiting;
    private int _batchTakersWaiting;
    private int _batchWanted;

    public HandOffQueue(int capacity, CancellationToken stop)
    {
        _capacity = capacity;
        _items = new Queue<T>(capacity);
        _stop = stop;
        _onStop = stop.Register(WakeAll);
    }

    /// <summary>Adds an item, waiting while the queue is full. False when the run was stopped.</summary>
    public bool Add(T item)
    {
        lock (_gate)
        {
            while (_items.Count >= _capacity)
            {
                if (_stop.IsCancellationRequested)
                {
                    return false;
                }

                _producerWaiting = true;
                Monitor.Wait(_gate);
            }

            _items.Enqueue(item);
            if (_takersWaiting > 0 || (_batchTakersWaiting > 0 && _items.Count >= _batchWanted))
            {
                Monitor.PulseAll(_gate);
            }

            return true;
        }
    }

    /// <summary>Makes room for at least <paramref name="capacity"/> items: a send thread storing batches sets it to its
    /// batch size, so the producer fills the next batch while the last one is stored instead of waiting for it.</summary>
    public void Reserve(int capacity)
    {
        lock (_gate)
        {
            if (capacity > _capacity)
            {
                _capacity = capacity;
                if (_producerWaiting)
                {
                    _producerWaiting = false;
                    Monitor.PulseAll(_gate);
                }
            }
        }
    }

    /// <summary>No more items will come: the send threads finish what is left and stop.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until there is an item to take. False when there never will be (completed and empty, or stopped).</summary>
    /// <param name="beforeWaiting">Runs before this thread sleeps, outside the lock (for the results it holds, which
    /// the caller may be waiting for before it hands over more).</param>
    public bool WaitForItems(Action beforeWaiting)
    {
        while (true)
        {
            lock (_gate)
            {
                if (_items.Count > 0)
                {
                    return true;
                }

                if (_completed || _stop.IsCancellationRequested)
                {
                    return false;
                }
            }

            beforeWaiting();
            lock (_gate)
            {
                if (_items.Count == 0 && !_completed && !_stop.IsCancellationRequested)
                {
                    WaitAsTaker(Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    /// <summary>Takes up to <paramref name="max"/> items: those waiting, and for a batch the ones that arrive within
    /// <paramref name="linger"/>. May take none when another send thread was quicker.</summary>
    /// <param name="into">Where the items go.</param>
    /// <param name="max">The most to take.</param>
    /// <param name="linger">How long to wait for more once some are taken.</param>
    /// <param name="sharedBy">How many threads share what is waiting: this one takes at most its part of it (rounded
    /// up), so a few waiting messages go to several connections instead of one.</param>
    public void Take(List<T> into, int max, TimeSpan linger, int sharedBy = 1)
    {
        var lingerStarted = 0L;
        lock (_gate)
        {
            if (sharedBy > 1)
            {
                max = Math.Min(max, Math.Max(1, (_items.Count + sharedBy - 1) / sharedBy));
            }

            while (true)
            {
                while (into.Count < max && _items.Count > 0)
                {
                    into.Add(_items.Dequeue());
                }

                if (_producerWaiting && _items.Count <= _capacity / 2)
                {
                    _producerWaiting = false;
                    Monitor.PulseAll(_gate);
                }

                if (into.Count == 0 || into.Count >= max || _completed || _stop.IsCancellationRequested)
                {
                    return;
                }

                lingerStarted = lingerStarted == 0 ? Stopwatch.GetTimestamp() : lingerStarted;
                var left = linger - Stopwatch.GetElapsedTime(lingerStarted);
                if (left <= TimeSpan.Zero)
                {
                    return;
                }

                // Woken when the rest of the batch is there (or the queue is full), not by each item. With several
                // threads gathering, the smallest count any of them wants wakes them all (the others wait again).
                var wanted = Math.Min(max - into.Count, _capacity);
                _batchWanted = _batchTakersWaiting > 0 ? Math.Min(_batchWanted, wanted) : wanted;
                _batchTakersWaiting++;
                try
                {
                    Monitor.Wait(_gate, left);
                }
                finally
                {
                    _batchTakersWaiting--;
                }
            }
        }
    }

    public void Dispose() => _onStop.Dispose();

    private void WaitAsTaker(TimeSpan timeout)
    {
        _takersWaiting++;
        try
        {
            Monitor.Wait(_gate, timeout);
        }
        finally
        {
            _takersWaiting--;
        }
    }

    private void WakeAll()
    {
        lock (_gate)
        {
            Monitor.PulseAll(_gate);
        }
    }
}
