namespace MailMvc.Mail.Outbox;

/// <summary>The outbox's storage: what senders and delivery workers do with it. Every change is durable when the
/// call returns.</summary>
internal interface IOutboxStore : IMailOutbox
{
    /// <summary>Creates the tables where they are missing.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken);

    /// <summary>Stores a mail for delivery now.</summary>
    /// <returns>Its id.</returns>
    Task<long> EnqueueAsync(OutboxItem item, CancellationToken cancellationToken);

    /// <summary>Stores several mails in one transaction: all of them, or none.</summary>
    /// <returns>Their ids, in order.</returns>
    Task<IReadOnlyList<long>> EnqueueManyAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken);

    /// <summary>Claims up to <paramref name="max"/> mails that are due (or whose previous claim expired), counting an attempt for each.</summary>
    Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken);

    /// <summary>Extends this worker's claims on <paramref name="ids"/> (the unfinished rest of its batch) just before it
    /// sends <paramref name="sending"/>, so a batch in progress never outlives its claim.</summary>
    /// <returns>False when the claim on <paramref name="sending"/> had expired and another worker took the mail over:
    /// it must not be sent here.</returns>
    Task<bool> RenewAsync(IReadOnlyCollection<long> ids, long sending, string worker, TimeSpan claimDuration, CancellationToken cancellationToken);

    /// <summary>Records a delivery. False when the claim had expired and another worker took the mail over.</summary>
    Task<bool> MarkSentAsync(long id, string worker, string? reply, CancellationToken cancellationToken);

    /// <summary>Records a temporary failure and how long to wait before the next attempt.</summary>
    Task<bool> MarkRetryAsync(long id, string worker, TimeSpan delay, string reply, CancellationToken cancellationToken);

    /// <summary>Records a permanent failure.</summary>
    Task<bool> MarkFailedAsync(long id, string worker, string reply, CancellationToken cancellationToken);

    /// <summary>Gives back claimed mails that were not attempted (the worker is stopping): queued again at once,
    /// their attempt not counted.</summary>
    Task ReleaseAsync(IReadOnlyCollection<long> ids, string worker, CancellationToken cancellationToken);

    /// <summary>Deletes sent mails older than <paramref name="before"/>.</summary>
    Task<int> DeleteSentBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
