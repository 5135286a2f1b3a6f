using MailMvc.Mail.Outbox;
using Microsoft.Extensions.Hosting;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>
/// The outbox's own store, except that its first claim that takes mail is caught by a shutdown after the database
/// committed it: it honours the token it was given with the mails claimed, as a store that reads the claimed mails in a
/// statement of its own does (the SQL stores read their bodies after the claim). Used to show that a shutdown then
/// still gives those mails back.
/// </summary>
internal sealed class CancelledAfterClaimStore(IOutboxStore inner, IHostApplicationLifetime lifetime) : IOutboxStore
{
    private readonly TaskCompletionSource _claimed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>Done once the first claim with mail is committed and held.</summary>
    public Task Claimed => _claimed.Task;

    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken)
    {
        var items = await inner.ClaimAsync(worker, max, claimDuration, CancellationToken.None);
        if (items.Count > 0 && Interlocked.Exchange(ref _held, 1) == 0)
        {
            _claimed.TrySetResult();
            // The next round trip, which the shutdown cancels if the token can be cancelled. Otherwise it ends once the
            // host has begun to stop (its workers' own token is cancelled in the same stop, just after), or after 8 s.
            var stopping = Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping);
            await Task.WhenAny(Task.Delay(Timeout.Infinite, cancellationToken), stopping, Task.Delay(TimeSpan.FromSeconds(8)));
            if (stopping.IsCanceled)
            {
                await Task.WhenAny(Task.Delay(Timeout.Infinite, cancellationToken), Task.Delay(TimeSpan.FromMilliseconds(500)));
            }

            cancellationToken.ThrowIfCancellationRequested();
        }

        return items;
    }

    public Task EnsureSchemaAsync(CancellationToken cancellationToken) => inner.EnsureSchemaAsync(cancellationToken);

    public Task<IReadOnlyList<long>> EnqueueManyAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken) =>
        inner.EnqueueManyAsync(items, cancellationToken);

    public Task<bool> RenewAsync(IReadOnlyCollection<long> ids, long sending, string worker, TimeSpan claimDuration, CancellationToken cancellationToken) =>
        inner.RenewAsync(ids, sending, worker, claimDuration, cancellationToken);

    public Task<bool> MarkSentAsync(long id, string worker, string? reply, CancellationToken cancellationToken) =>
        inner.MarkSentAsync(id, worker, reply, cancellationToken);

    public Task<bool> MarkSentAsync(long id, string worker, string? reply, string? server, CancellationToken cancellationToken) =>
        inner.MarkSentAsync(id, worker, reply, server, cancellationToken);

    public Task<IReadOnlyList<bool>> MarkSentAsync(IReadOnlyList<OutboxDelivery> deliveries, string worker, CancellationToken cancellationToken) =>
        inner.MarkSentAsync(deliveries, worker, cancellationToken);

    public Task<bool> MarkRetryAsync(long id, string worker, TimeSpan delay, string reply, CancellationToken cancellationToken) =>
        inner.MarkRetryAsync(id, worker, delay, reply, cancellationToken);

    public Task<bool> DeferAsync(long id, string worker, DateTimeOffset until, string reply, CancellationToken cancellationToken) =>
        inner.DeferAsync(id, worker, until, reply, cancellationToken);

    public Task<bool> MarkFailedAsync(long id, string worker, string reply, CancellationToken cancellationToken) =>
        inner.MarkFailedAsync(id, worker, reply, cancellationToken);

    public Task ReleaseAsync(IReadOnlyCollection<long> ids, string worker, CancellationToken cancellationToken) =>
        inner.ReleaseAsync(ids, worker, cancellationToken);

    public Task<int> DeleteSentBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken) => inner.DeleteSentBeforeAsync(before, cancellationToken);

    public Task<OutboxCounts> GetCountsAsync(CancellationToken cancellationToken) => inner.GetCountsAsync(cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken) =>
        inner.ListAsync(status, limit, cancellationToken);

    public Task<OutboxEntry?> GetAsync(long id, CancellationToken cancellationToken) => inner.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<OutboxAttempt>> GetAttemptsAsync(long id, CancellationToken cancellationToken) => inner.GetAttemptsAsync(id, cancellationToken);

    public Task<bool> RetryAsync(long id, CancellationToken cancellationToken) => inner.RetryAsync(id, cancellationToken);

    public Task<bool> CancelAsync(long id, CancellationToken cancellationToken) => inner.CancelAsync(id, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListScheduledAsync(int limit, CancellationToken cancellationToken) => inner.ListScheduledAsync(limit, cancellationToken);
}
