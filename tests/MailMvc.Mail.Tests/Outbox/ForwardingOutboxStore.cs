using MailMvc.Mail.Outbox;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>A store that passes every call to the outbox's own store; tests override the calls they watch or change. It
/// leaves <see cref="IOutboxStore.GetBacklogAsync"/> to the interface's default (from <see cref="GetCountsAsync"/>), as a
/// store written before that method does.</summary>
internal abstract class ForwardingOutboxStore(IOutboxStore inner) : IOutboxStore
{
    protected IOutboxStore Inner { get; } = inner;

    public virtual Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken) =>
        Inner.ClaimAsync(worker, max, claimDuration, cancellationToken);

    public virtual Task<IReadOnlyList<long>?> EnqueueClaimedAsync(IReadOnlyList<OutboxItem> items, string worker, TimeSpan claimDuration,
        CancellationToken cancellationToken) =>
        Inner.EnqueueClaimedAsync(items, worker, claimDuration, cancellationToken);

    public virtual Task EnsureSchemaAsync(CancellationToken cancellationToken) => Inner.EnsureSchemaAsync(cancellationToken);

    public virtual int StoringSessions => Inner.StoringSessions;

    public virtual Task<IReadOnlyList<long>> EnqueueManyAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken) =>
        Inner.EnqueueManyAsync(items, cancellationToken);

    public virtual Task<bool> RenewAsync(IReadOnlyCollection<long> ids, long sending, string worker, TimeSpan claimDuration, CancellationToken cancellationToken) =>
        Inner.RenewAsync(ids, sending, worker, claimDuration, cancellationToken);

    public virtual Task<bool> MarkSentAsync(long id, string worker, string? reply, CancellationToken cancellationToken) =>
        Inner.MarkSentAsync(id, worker, reply, cancellationToken);

    public virtual Task<bool> MarkSentAsync(long id, string worker, string? reply, string? server, CancellationToken cancellationToken) =>
        Inner.MarkSentAsync(id, worker, reply, server, cancellationToken);

    public virtual Task<IReadOnlyList<bool>> MarkSentAsync(IReadOnlyList<OutboxDelivery> deliveries, string worker, CancellationToken cancellationToken) =>
        Inner.MarkSentAsync(deliveries, worker, cancellationToken);

    public virtual Task<bool> MarkRetryAsync(long id, string worker, TimeSpan delay, string reply, CancellationToken cancellationToken) =>
        Inner.MarkRetryAsync(id, worker, delay, reply, cancellationToken);

    public virtual Task<bool> DeferAsync(long id, string worker, DateTimeOffset until, string reply, CancellationToken cancellationToken) =>
        Inner.DeferAsync(id, worker, until, reply, cancellationToken);

    public virtual Task<bool> MarkFailedAsync(long id, string worker, string reply, CancellationToken cancellationToken) =>
        Inner.MarkFailedAsync(id, worker, reply, cancellationToken);

    public virtual Task ReleaseAsync(IReadOnlyCollection<long> ids, string worker, CancellationToken cancellationToken) =>
        Inner.ReleaseAsync(ids, worker, cancellationToken);

    public virtual Task<int> DeleteSentBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) => Inner.DeleteSentBeforeAsync(before, cancellationToken);

    public virtual Task<OutboxCounts> GetCountsAsync(CancellationToken cancellationToken) => Inner.GetCountsAsync(cancellationToken);

    public virtual Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken) =>
        Inner.ListAsync(status, limit, cancellationToken);

    public virtual Task<OutboxEntry?> GetAsync(long id, CancellationToken cancellationToken) => Inner.GetAsync(id, cancellationToken);

    public virtual Task<IReadOnlyList<OutboxAttempt>> GetAttemptsAsync(long id, CancellationToken cancellationToken) => Inner.GetAttemptsAsync(id, cancellationToken);

    public virtual Task<bool> RetryAsync(long id, CancellationToken cancellationToken) => Inner.RetryAsync(id, cancellationToken);

    public virtual Task<bool> CancelAsync(long id, CancellationToken cancellationToken) => Inner.CancelAsync(id, cancellationToken);

    public virtual Task<IReadOnlyList<OutboxEntry>> ListScheduledAsync(int limit, CancellationToken cancellationToken) => Inner.ListScheduledAsync(limit, cancellationToken);
}
