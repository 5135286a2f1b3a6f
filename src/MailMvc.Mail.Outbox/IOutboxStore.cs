namespace MailMvc.Mail.Outbox;

/// <summary>
/// The outbox's storage: what senders, delivery workers and the outbox page do with it. Every change is durable
/// when the call returns. MailMvc ships SQLite and PostgreSQL stores; register another with
/// <see cref="OutboxBuilder.UseStore{TStore}"/>. Implementations must be safe for concurrent use: several workers
/// (and, for a shared database, several app instances) call them at once, and a claimed mail must never be
/// claimed by a second worker until its claim expires.
/// </summary>
public interface IOutboxStore
{
    /// <summary>Creates the schema, or upgrades it to the version this code needs, safely when several instances start at once.</summary>
    Task EnsureSchemaAsync(CancellationToken cancellationToken);

    /// <summary>Stores several mails in one transaction: all of them, or none.</summary>
    /// <returns>Their ids, in order.</returns>
    Task<IReadOnlyList<long>> EnqueueManyAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken);

    /// <summary>How many of a bulk send's batches the store takes at once: a bulk send queued through the outbox
    /// (<see cref="IMailer.SendManyAsync"/>) stores through this many sessions at most
    /// (<see cref="MailMvc.Mail.Transport.IQueueingMailTransport.StoringSessions"/>). 1 by default: a second session
    /// helps only a store that can take one batch while it commits another (PostgreSQL does; SQLite writes one
    /// transaction at a time). A store that wraps another should pass its value on.</summary>
    int StoringSessions => 1;

    /// <summary>Stores several mails in one transaction, as <see cref="EnqueueManyAsync"/> does, but already claimed by
    /// <paramref name="worker"/> for <paramref name="claimDuration"/>, their first attempt counted, as a claim would leave
    /// them. The outbox uses it to hand mail queued in this process straight to one of its own delivery workers, which
    /// then sends it without claiming it or reading it back; if that worker never does (the process crashed), the claim
    /// expires and any worker takes the mails over. The default stores nothing and returns null: the outbox then queues
    /// with <see cref="EnqueueManyAsync"/>, and its workers claim the mail as usual; after one null it does not ask again for
    /// the rest of the process.</summary>
    /// <returns>Their ids, in order; null when the store does not store claimed mail.</returns>
    Task<IReadOnlyList<long>?> EnqueueClaimedAsync(IReadOnlyList<OutboxItem> items, string worker, TimeSpan claimDuration,
        CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<long>?>(null);

    /// <summary>Claims up to <paramref name="max"/> mails that are due (or whose previous claim expired), counting an
    /// attempt for each, for <paramref name="claimDuration"/>.</summary>
    /// <returns>The claimed mails with their MIME bytes, oldest first.</returns>
    Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken);

    /// <summary>Extends this worker's claims on <paramref name="ids"/> (the unfinished rest of its batch) just before it
    /// sends <paramref name="sending"/>, so a batch in progress never outlives its claim.</summary>
    /// <returns>False when the claim on <paramref name="sending"/> had expired and another worker took the mail over:
    /// it must not be sent here.</returns>
    Task<bool> RenewAsync(IReadOnlyCollection<long> ids, long sending, string worker, TimeSpan claimDuration, CancellationToken cancellationToken);

    /// <summary>Records a delivery. False when the claim had expired and another worker took the mail over.</summary>
    Task<bool> MarkSentAsync(long id, string worker, string? reply, CancellationToken cancellationToken);

    /// <summary>Records a delivery and the server that took the mail (for SMTP <c>host:port</c>). A store that keeps no
    /// server (one written before this overload) records the delivery without it.</summary>
    Task<bool> MarkSentAsync(long id, string worker, string? reply, string? server, CancellationToken cancellationToken) =>
        MarkSentAsync(id, worker, reply, cancellationToken);

    /// <summary>Records several deliveries one worker made in a row (a claimed batch), in one transaction where the store
    /// can: the delivery workers record a batch's deliveries together once it is done, so a crash in between sends those
    /// mails again after their claim expires (at most <see cref="OutboxOptions.BatchSize"/> per connection), never loses
    /// them. The default records them one by one.</summary>
    /// <returns>For each delivery, in order: false when the claim had expired and another worker took the mail over.</returns>
    async Task<IReadOnlyList<bool>> MarkSentAsync(IReadOnlyList<OutboxDelivery> deliveries, string worker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        var owned = new List<bool>(deliveries.Count);
        foreach (var delivery in deliveries)
        {
            owned.Add(await MarkSentAsync(delivery.Id, worker, delivery.Reply, delivery.Server, cancellationToken).ConfigureAwait(false));
        }

        return owned;
    }

    /// <summary>Records a temporary failure and how long to wait before the next attempt.</summary>
    Task<bool> MarkRetryAsync(long id, string worker, TimeSpan delay, string reply, CancellationToken cancellationToken);

    /// <summary>Puts a claimed mail back in the queue until <paramref name="until"/> without counting its attempt: it was not
    /// tried, because a sending budget had no room for it. A store written before this method records a retry instead.</summary>
    /// <returns>False when the claim had expired and another worker took the mail over.</returns>
    Task<bool> DeferAsync(long id, string worker, DateTimeOffset until, string reply, CancellationToken cancellationToken) =>
        MarkRetryAsync(id, worker, until > DateTimeOffset.UtcNow ? until - DateTimeOffset.UtcNow : TimeSpan.Zero, reply, cancellationToken);

    /// <summary>Records a permanent failure.</summary>
    Task<bool> MarkFailedAsync(long id, string worker, string reply, CancellationToken cancellationToken);

    /// <summary>Gives back claimed mails that were not attempted (the worker is stopping, or waits out an error): queued
    /// again at once, their attempt not counted.</summary>
    Task ReleaseAsync(IReadOnlyCollection<long> ids, string worker, CancellationToken cancellationToken);

    /// <summary>Deletes sent mails older than <paramref name="before"/>.</summary>
    Task<int> DeleteSentBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>How many mails are in each state.</summary>
    Task<OutboxCounts> GetCountsAsync(CancellationToken cancellationToken);

    /// <summary>How many mails are waiting (queued or being sent), and since when the oldest due one waits: what the
    /// outbox's metrics report every few seconds in every instance, and what a bulk list's estimate waits behind. A store
    /// should read only the waiting mail (the SQL stores read it through the index on status), not the sent mail it keeps
    /// for <see cref="OutboxOptions.KeepSent"/>. The default takes it from <see cref="GetCountsAsync"/>.</summary>
    async Task<OutboxBacklog> GetBacklogAsync(CancellationToken cancellationToken) =>
        OutboxBacklog.From(await GetCountsAsync(cancellationToken).ConfigureAwait(false));

    /// <summary>The most recent mails, newest first, optionally only those in one state.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken);

    /// <summary>One mail, or null when there is none with that id.</summary>
    Task<OutboxEntry?> GetAsync(long id, CancellationToken cancellationToken);

    /// <summary>Every delivery attempt of one mail, oldest first.</summary>
    Task<IReadOnlyList<OutboxAttempt>> GetAttemptsAsync(long id, CancellationToken cancellationToken);

    /// <summary>Queues a failed mail again for an attempt now, with a fresh budget of attempts and age.</summary>
    /// <returns>False when there is no failed mail with that id.</returns>
    Task<bool> RetryAsync(long id, CancellationToken cancellationToken);

    /// <summary>Cancels a queued mail (a scheduled one, typically): it is never sent. A mail a worker has already
    /// claimed cannot be cancelled any more.</summary>
    /// <returns>False when there is no queued mail with that id.</returns>
    /// <exception cref="NotSupportedException">The store does not implement cancelling.</exception>
    Task<bool> CancelAsync(long id, CancellationToken cancellationToken) =>
        throw new NotSupportedException($"{GetType().Name} cannot cancel queued mail: implement IOutboxStore.CancelAsync.");

    /// <summary>The queued mails whose scheduled time is still ahead, soonest first.</summary>
    Task<IReadOnlyList<OutboxEntry>> ListScheduledAsync(int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<OutboxEntry>>([]);
}
