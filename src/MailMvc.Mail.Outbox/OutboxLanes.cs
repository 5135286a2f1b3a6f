namespace MailMvc.Mail.Outbox;

/// <summary>
/// This process's delivery workers as its senders see them. Each running worker has a lane: mail this process has just
/// stored, already claimed in that worker's name (<see cref="IOutboxStore.EnqueueClaimedAsync"/>), waits there in memory,
/// so the worker sends it without claiming it from the store or reading its bytes back. The lanes also carry the
/// signal that wakes idle workers to claim from the store.
/// </summary>
internal sealed class OutboxLanes
{
    private readonly Lock _lock = new();
    private readonly List<OutboxLane> _lanes = [];
    private readonly int _capacity;
    private readonly long _byteCapacity;

    /// <param name="capacity">The most mails one lane holds (reserved and waiting): what its worker has to send after a
    /// crash's claims expire, on top of the batch it is sending.</param>
    /// <param name="byteCapacity">The most bytes of MIME one lane holds in memory: large mails beyond it are queued in
    /// the store as usual, where they wait on disk instead.</param>
    public OutboxLanes(int capacity, long byteCapacity)
    {
        _capacity = capacity;
        _byteCapacity = byteCapacity;
    }

    /// <summary>Opens the lane of a worker that starts.</summary>
    public OutboxLane Open(string worker)
    {
        var lane = new OutboxLane(worker);
        lock (_lock)
        {
            _lanes.Add(lane);
        }

        return lane;
    }

    /// <summary>Closes the lane of a worker that stops: nothing more is handed to it.</summary>
    /// <returns>The mails still waiting in it, for the worker to give back to the store.</returns>
    public IReadOnlyList<OutboxItem> Close(OutboxLane lane)
    {
        lock (_lock)
        {
            _lanes.Remove(lane);
            lane.Closed = true;
            var waiting = TakeAllWaiting(lane);
            lane.Held = 0;
            lane.HeldBytes = 0;
            return waiting;
        }
    }

    /// <summary>Reserves room for <paramref name="count"/> mails of <paramref name="bytes"/> bytes in all in the open lane
    /// that holds the fewest.</summary>
    /// <returns>The lane, or null when none has room (or no worker runs in this process): the mails are then queued as usual.</returns>
    public OutboxLane? Reserve(int count, long bytes)
    {
        lock (_lock)
        {
            OutboxLane? emptiest = null;
            foreach (var lane in _lanes)
            {
                if (!lane.Resting && lane.Held + count <= _capacity && lane.HeldBytes + bytes <= _byteCapacity && (emptiest is null || lane.Held < emptiest.Held))
                {
                    emptiest = lane;
                }
            }

            if (emptiest is not null)
            {
                emptiest.Held += count;
                emptiest.HeldBytes += bytes;
            }

            return emptiest;
        }
    }

    /// <summary>Sets a worker's lane aside while the worker waits out an error (<paramref name="resting"/> true), or
    /// takes it back: nothing is handed to a resting lane, so mail queued meanwhile goes to the other workers or to the
    /// store instead of waiting for the worker to try again.</summary>
    /// <returns>When it is set aside, the mails that were waiting in it (taken out), for the worker to give back to the
    /// store for the other workers; otherwise none.</returns>
    public IReadOnlyList<OutboxItem> Rest(OutboxLane lane, bool resting)
    {
        lock (_lock)
        {
            lane.Resting = resting;
            if (!resting || lane.Waiting.Count == 0)
            {
                return [];
            }

            var waiting = TakeAllWaiting(lane);
            Count(lane, waiting, -1);
            return waiting;
        }
    }

    /// <summary>Puts mails claimed in the worker's name that could not be given back to the store (<see cref="Rest"/>
    /// took them out, or <see cref="HandOver"/> refused them while it rested) in its lane, resting or not: they wait for
    /// the worker, as if handed to it before its error.</summary>
    /// <param name="lane">The worker's lane.</param>
    /// <param name="items">The mails.</param>
    /// <param name="claimedAt">The timestamp to record as their claim's start (see <see cref="OutboxRuntime.GiveBackAsync"/>).</param>
    /// <returns>False when the worker stopped meanwhile.</returns>
    public bool PutBack(OutboxLane lane, IReadOnlyList<OutboxItem> items, long claimedAt)
    {
        lock (_lock)
        {
            if (lane.Closed)
            {
                return false;
            }

            var later = lane.Waiting.ToList();
            lane.Waiting.Clear();
            foreach (var entry in items.Select(item => (item, claimedAt)).Concat(later))
            {
                lane.Waiting.Enqueue(entry);
            }

            Count(lane, items, +1);
            lane.Signal();
            return true;
        }
    }

    /// <summary>Gives back room reserved for mails that were not stored claimed.</summary>
    public void Unreserve(OutboxLane lane, int count, long bytes)
    {
        lock (_lock)
        {
            if (!lane.Closed)
            {
                lane.Held -= count;
                lane.HeldBytes -= bytes;
            }
        }
    }

    /// <summary>Hands stored, claimed mails to the lane reserved for them and wakes its worker.</summary>
    /// <param name="lane">The lane <see cref="Reserve"/> gave for them.</param>
    /// <param name="items">The mails as stored, with their ids, their first attempt counted.</param>
    /// <param name="claimedAt">A timestamp (<see cref="TimeProvider.GetTimestamp"/>) from before the claim began.</param>
    /// <returns>False when the worker stopped meanwhile, or is waiting out an error: the caller releases the room it
    /// reserved and gives them back to the store (<see cref="OutboxRuntime.GiveBackAsync"/>).</returns>
    public bool HandOver(OutboxLane lane, IReadOnlyList<OutboxItem> items, long claimedAt)
    {
        lock (_lock)
        {
            if (lane.Closed || lane.Resting)
            {
                return false;
            }

            foreach (var item in items)
            {
                lane.Waiting.Enqueue((item, claimedAt));
            }

            lane.Signal();
            return true;
        }
    }

    /// <summary>Takes up to <paramref name="max"/> mails waiting in the lane, oldest first.</summary>
    /// <param name="lane">The worker's own lane.</param>
    /// <param name="max">The most to take (the worker's batch size).</param>
    /// <param name="claimedAt">When the earliest of them was claimed (a timestamp).</param>
    public List<OutboxItem> Take(OutboxLane lane, int max, out long claimedAt)
    {
        lock (_lock)
        {
            claimedAt = lane.Waiting.Count > 0 ? lane.Waiting.Peek().ClaimedAt : 0;
            var taken = new List<OutboxItem>(Math.Min(max, lane.Waiting.Count));
            while (taken.Count < max && lane.Waiting.TryDequeue(out var waiting))
            {
                taken.Add(waiting.Item);
                claimedAt = Math.Min(claimedAt, waiting.ClaimedAt);
            }

            Count(lane, taken, -1);
            return taken;
        }
    }

    // Under the lock: every mail waiting in the lane, taken out of it.
    private static List<OutboxItem> TakeAllWaiting(OutboxLane lane)
    {
        var waiting = lane.Waiting.Select(w => w.Item).ToList();
        lane.Waiting.Clear();
        return waiting;
    }

    // Under the lock: counts mails into (+1) or out of (-1) what the lane holds.
    private static void Count(OutboxLane lane, IReadOnlyCollection<OutboxItem> items, int sign)
    {
        lane.Held += sign * items.Count;
        lane.HeldBytes += sign * items.Sum(item => (long)item.Mime.Length);
    }

    /// <summary>Tells every worker to claim from the store (mail was queued there, or a claim found more than a batch),
    /// waking the idle ones.</summary>
    public void WakeAll()
    {
        lock (_lock)
        {
            foreach (var lane in _lanes)
            {
                lane.StoreWork = true;
                lane.Signal();
            }
        }
    }
}

/// <summary>One delivery worker's lane (see <see cref="OutboxLanes"/>). Its state is changed under the lanes' lock,
/// except <see cref="LastClaim"/>, which only its worker uses.</summary>
internal sealed class OutboxLane(string worker)
{
    private readonly SemaphoreSlim _signal = new(0, 1);
    private volatile bool _storeWork = true;

    /// <summary>The worker's name: the claim on the mails handed to it is in this name.</summary>
    public string Worker { get; } = worker;

    internal Queue<(OutboxItem Item, long ClaimedAt)> Waiting { get; } = new();

    /// <summary>Mails reserved for the lane or waiting in it.</summary>
    internal int Held { get; set; }

    /// <summary>Their MIME's size in bytes.</summary>
    internal long HeldBytes { get; set; }

    internal bool Closed { get; set; }

    /// <summary>True while the worker waits out an error (<see cref="OutboxLanes.Rest"/>).</summary>
    internal bool Resting { get; set; }

    /// <summary>True when mail may be due in the store (a wake since the worker last claimed from it).</summary>
    internal bool StoreWork
    {
        get => _storeWork;
        set => _storeWork = value;
    }

    /// <summary>When the worker last claimed from the store (a timestamp); 0 before its first claim.</summary>
    public long LastClaim { get; set; }

    /// <summary>True when the worker is to claim from the store before it takes from its lane: it was woken for mail
    /// queued there, or <paramref name="pollInterval"/> passed since its last claim (mail other instances queued, retries
    /// and scheduled mail that came due), so a sender that keeps its lane full never holds back the store's mail.</summary>
    public bool MustClaim(TimeProvider time, TimeSpan pollInterval) =>
        StoreWork || LastClaim == 0 || time.GetElapsedTime(LastClaim) >= pollInterval;

    /// <summary>How long until <see cref="MustClaim"/> turns true by the poll interval alone (zero before the first claim).</summary>
    public TimeSpan UntilClaimDue(TimeProvider time, TimeSpan pollInterval)
    {
        if (LastClaim == 0)
        {
            return TimeSpan.Zero;
        }

        var left = pollInterval - time.GetElapsedTime(LastClaim);
        return left > TimeSpan.Zero ? left : TimeSpan.Zero;
    }

    /// <summary>Notes a claim from the store that starts now.</summary>
    public void Claiming(TimeProvider time)
    {
        StoreWork = false;
        LastClaim = time.GetTimestamp();
    }

    /// <summary>Waits until mail is handed over, the worker is woken, or <paramref name="timeout"/> passes on
    /// <paramref name="time"/>, the outbox's clock (an application's own in its tests, where the next poll comes when that
    /// clock is moved on, not after as much real time).</summary>
    /// <returns>False when the time passed.</returns>
    public Task<bool> WaitAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken) =>
        time == TimeProvider.System ? _signal.WaitAsync(timeout, cancellationToken) : WaitOnClockAsync(timeout, time, cancellationToken);

    private async Task<bool> WaitOnClockAsync(TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        if (_signal.Wait(0, CancellationToken.None))
        {
            return true;
        }

        using var timer = new CancellationTokenSource(timeout, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timer.Token);
        try
        {
            await _signal.WaitAsync(either.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    internal void Signal()
    {
        if (_signal.CurrentCount == 0)
        {
            _signal.Release();
        }
    }
}
