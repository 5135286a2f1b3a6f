using MailMvc.Mail.Outbox;

namespace MailMvc.Samples.Extensions;

// The members of InMemoryOutboxStore the docs do not show.
public sealed partial class InMemoryOutboxStore
{
    private long _lastId;

    public Task EnsureSchemaAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<IReadOnlyList<long>> EnqueueManyAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        lock (_lock)
        {
            var now = time.GetUtcNow();
            var ids = new List<long>(items.Count);
            foreach (var item in items)
            {
                // Ids are never reused, even after sent mails are deleted.
                _rows.Add(new Row(item with { Id = ++_lastId, Attempts = 0, CreatedAt = now }, now));
                ids.Add(_lastId);
            }

            return Task.FromResult<IReadOnlyList<long>>(ids);
        }
    }

    public Task<bool> RenewAsync(IReadOnlyCollection<long> ids, long sending, string worker, TimeSpan claimDuration, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_lock)
        {
            var until = time.GetUtcNow() + claimDuration;
            var held = _rows.Where(r => ids.Contains(r.Item.Id) && r.IsClaimedBy(worker)).ToList();
            held.ForEach(r => r.LockedUntil = until);
            return Task.FromResult(held.Any(r => r.Item.Id == sending));
        }
    }

    public Task<bool> MarkSentAsync(long id, string worker, string? reply, CancellationToken cancellationToken) =>
        Finish(id, worker, "sent", reply, (row, now) => (row.Status, row.SentAt) = (OutboxStatus.Sent, now));

    public Task<bool> MarkRetryAsync(long id, string worker, TimeSpan delay, string reply, CancellationToken cancellationToken) =>
        Finish(id, worker, "retry", reply, (row, now) => (row.Status, row.NextAttemptAt) = (OutboxStatus.Queued, now + delay));

    public Task<bool> MarkFailedAsync(long id, string worker, string reply, CancellationToken cancellationToken) =>
        Finish(id, worker, "failed", reply, (row, _) => row.Status = OutboxStatus.Failed);

    public Task ReleaseAsync(IReadOnlyCollection<long> ids, string worker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ids);
        lock (_lock)
        {
            foreach (var row in _rows.Where(r => ids.Contains(r.Item.Id) && r.LockedBy == worker))
            {
                // Not attempted: the claim's attempt is given back.
                row.Item = row.Item with { Attempts = row.Item.Attempts - 1 };
                row.Unlock(OutboxStatus.Queued);
            }
        }

        return Task.CompletedTask;
    }

    public Task<int> DeleteSentBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.RemoveAll(r => r.Status == OutboxStatus.Sent && r.SentAt < before));
        }
    }

    public Task<OutboxCounts> GetCountsAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            long Count(OutboxStatus status) => _rows.LongCount(r => r.Status == status);
            var waiting = _rows.Where(r => r.Status is OutboxStatus.Queued or OutboxStatus.Sending).Select(r => (DateTimeOffset?)r.Item.CreatedAt);
            return Task.FromResult(new OutboxCounts(Count(OutboxStatus.Queued), Count(OutboxStatus.Sending), Count(OutboxStatus.Sent),
                Count(OutboxStatus.Failed), waiting.Min()));
        }
    }

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<OutboxEntry>>(_rows.Where(r => status is null || r.Status == status)
                .OrderByDescending(r => r.Item.Id).Take(limit).Select(r => r.ToEntry()).ToList());
        }
    }

    public Task<OutboxEntry?> GetAsync(long id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult(_rows.FirstOrDefault(r => r.Item.Id == id)?.ToEntry());
        }
    }

    public Task<IReadOnlyList<OutboxAttempt>> GetAttemptsAsync(long id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<OutboxAttempt>>(_rows.FirstOrDefault(r => r.Item.Id == id)?.Attempts.ToList() ?? []);
        }
    }

    public Task<bool> RetryAsync(long id, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var row = _rows.FirstOrDefault(r => r.Item.Id == id && r.Status == OutboxStatus.Failed);
            if (row is null)
            {
                return Task.FromResult(false);
            }

            // A fresh budget of attempts and age, as the built-in stores give.
            var now = time.GetUtcNow();
            row.Item = row.Item with { Attempts = 0, CreatedAt = now };
            row.NextAttemptAt = now;
            row.Status = OutboxStatus.Queued;
            return Task.FromResult(true);
        }
    }

    /// <summary>Records an attempt's outcome if <paramref name="worker"/> still holds the claim.</summary>
    private Task<bool> Finish(long id, string worker, string outcome, string? reply, Action<Row, DateTimeOffset> change)
    {
        lock (_lock)
        {
            var row = _rows.FirstOrDefault(r => r.Item.Id == id && r.LockedBy == worker);
            if (row is null)
            {
                return Task.FromResult(false);
            }

            var now = time.GetUtcNow();
            row.Attempts.Add(new OutboxAttempt(now, outcome, reply, worker));
            row.LastReply = reply;
            row.Unlock(row.Status);
            change(row, now);
            return Task.FromResult(true);
        }
    }

    /// <summary>One mail and its delivery state; changed only under the store's lock.</summary>
    private sealed class Row(OutboxItem item, DateTimeOffset now)
    {
        public OutboxItem Item { get; set; } = item;

        public OutboxStatus Status { get; set; } = OutboxStatus.Queued;

        public DateTimeOffset NextAttemptAt { get; set; } = now;

        public DateTimeOffset? SentAt { get; set; }

        public string? LastReply { get; set; }

        public string? LockedBy { get; private set; }

        public DateTimeOffset LockedUntil { get; set; }

        public List<OutboxAttempt> Attempts { get; } = [];

        /// <summary>Queued and due, or claimed by a worker whose claim expired.</summary>
        public bool IsDue(DateTimeOffset now) =>
            (Status == OutboxStatus.Queued && NextAttemptAt <= now) || (Status == OutboxStatus.Sending && LockedUntil < now);

        public bool IsClaimedBy(string worker) => Status == OutboxStatus.Sending && LockedBy == worker;

        public void Claim(string worker, DateTimeOffset until)
        {
            (Status, LockedBy, LockedUntil) = (OutboxStatus.Sending, worker, until);
            Item = Item with { Attempts = Item.Attempts + 1 };
        }

        public void Unlock(OutboxStatus status) => (Status, LockedBy) = (status, null);

        public OutboxEntry ToEntry() => new(Item.Id, Item.MessageId, Item.Subject, Item.Recipients.Replace('\n', ' '), Status,
            Item.Attempts, Item.CreatedAt, NextAttemptAt, SentAt, LastReply);
    }
}
