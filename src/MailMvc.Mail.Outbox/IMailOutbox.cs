namespace MailMvc.Mail.Outbox;

/// <summary>Reads and manages the outbox (the outbox page and health checks use it). While the outbox is off
/// (<see cref="IsEnabled"/> false), every other call throws <see cref="InvalidOperationException"/>.</summary>
public interface IMailOutbox
{
    /// <summary>True when mail is queued here: the outbox is on and sending is not suppressed.</summary>
    bool IsEnabled { get; }

    /// <summary>Where the outbox lives, in words (for example <c>SQLite /app/App_Data/outbox.db</c>).</summary>
    string Description { get; }

    /// <summary>How many mails are in each state.</summary>
    Task<OutboxCounts> GetCountsAsync(CancellationToken cancellationToken = default);

    /// <summary>How many mails are waiting (queued or being sent), and since when the oldest due one waits, read from the
    /// waiting mail alone: cheaper than <see cref="GetCountsAsync"/>, which counts every mail the outbox keeps.</summary>
    async Task<OutboxBacklog> GetBacklogAsync(CancellationToken cancellationToken = default) =>
        OutboxBacklog.From(await GetCountsAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The most recent mails, newest first, optionally only those in one state.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken = default);

    /// <summary>One mail, or null when there is none with that id.</summary>
    Task<OutboxEntry?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Every delivery attempt of one mail, oldest first.</summary>
    Task<IReadOnlyList<OutboxAttempt>> GetAttemptsAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Queues a failed mail again for an attempt now, with a fresh budget of attempts and age.</summary>
    /// <returns>False when there is no failed mail with that id.</returns>
    Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Cancels a queued mail that no worker has claimed yet (a scheduled one, typically): it is never sent.</summary>
    /// <returns>False when there is no such mail (it is being sent, was sent, failed or was cancelled already).</returns>
    Task<bool> CancelAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>The mails waiting for a scheduled time still ahead, soonest first.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListScheduledAsync(int limit, CancellationToken cancellationToken = default);
}
