namespace MailMvc.Mail.Outbox;

/// <summary>Reads and manages the outbox (the outbox page and health checks use it). With the outbox off
/// (<see cref="OutboxOptions.Enabled"/>), every call throws <see cref="InvalidOperationException"/>.</summary>
public interface IMailOutbox
{
    /// <summary>How many mails are in each state.</summary>
    Task<OutboxCounts> GetCountsAsync(CancellationToken cancellationToken = default);

    /// <summary>The most recent mails, newest first, optionally only those in one state.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken = default);

    /// <summary>One mail, or null when there is none with that id.</summary>
    Task<OutboxEntry?> GetAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Every delivery attempt of one mail, oldest first.</summary>
    Task<IReadOnlyList<OutboxAttempt>> GetAttemptsAsync(long id, CancellationToken cancellationToken = default);

    /// <summary>Queues a failed mail again for an attempt now, with a fresh budget of attempts and age.</summary>
    /// <returns>False when there is no failed mail with that id.</returns>
    Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default);
}
