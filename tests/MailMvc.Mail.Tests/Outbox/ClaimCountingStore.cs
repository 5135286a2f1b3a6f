using MailMvc.Mail.Outbox;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The outbox's own store, counting the mails its claims took and those stored already claimed. With
/// <paramref name="storesClaimed"/> false it answers <see cref="IOutboxStore.EnqueueClaimedAsync"/> as the interface's
/// default does (null, nothing stored), as a store of an app's own that does not implement it.</summary>
internal sealed class ClaimCountingStore(IOutboxStore inner, bool storesClaimed = true) : ForwardingOutboxStore(inner)
{
    private int _claims;
    private int _claimed;
    private int _storedClaimed;
    private int _claimedInserts;
    private int _records;

    /// <summary>Calls of <see cref="IOutboxStore.ClaimAsync"/> that returned, those that found nothing included: a claim
    /// counted has read the store, so mail stored after the count is not in it.</summary>
    public int Claims => Volatile.Read(ref _claims);

    /// <summary>Mails that <see cref="IOutboxStore.ClaimAsync"/> returned.</summary>
    public int Claimed => Volatile.Read(ref _claimed);

    /// <summary>Mails stored already claimed (<see cref="IOutboxStore.EnqueueClaimedAsync"/>).</summary>
    public int StoredClaimed => Volatile.Read(ref _storedClaimed);

    /// <summary>Calls of <see cref="IOutboxStore.EnqueueClaimedAsync"/>.</summary>
    public int ClaimedInserts => Volatile.Read(ref _claimedInserts);

    /// <summary>Records of deliveries: calls of the batch <see cref="IOutboxStore.MarkSentAsync(IReadOnlyList{OutboxDelivery}, string, CancellationToken)"/>,
    /// a transaction each.</summary>
    public int Records => Volatile.Read(ref _records);

    public override async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken)
    {
        var items = await Inner.ClaimAsync(worker, max, claimDuration, cancellationToken);
        Interlocked.Add(ref _claimed, items.Count);
        Interlocked.Increment(ref _claims);
        return items;
    }

    public override async Task<IReadOnlyList<long>?> EnqueueClaimedAsync(IReadOnlyList<OutboxItem> items, string worker, TimeSpan claimDuration,
        CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _claimedInserts);
        var ids = storesClaimed ? await Inner.EnqueueClaimedAsync(items, worker, claimDuration, cancellationToken) : null;
        Interlocked.Add(ref _storedClaimed, ids?.Count ?? 0);
        return ids;
    }

    public override Task<IReadOnlyList<bool>> MarkSentAsync(IReadOnlyList<OutboxDelivery> deliveries, string worker, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _records);
        return Inner.MarkSentAsync(deliveries, worker, cancellationToken);
    }
}
