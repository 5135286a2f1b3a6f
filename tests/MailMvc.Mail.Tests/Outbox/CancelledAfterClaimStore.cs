using MailMvc.Mail.Outbox;
using Microsoft.Extensions.Hosting;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>
/// The outbox's own store, except that its first claim that takes mail is caught by a shutdown after the database
/// committed it: it honours the token it was given with the mails claimed, as a store that reads the claimed mails in a
/// statement of its own does (the SQL stores read their bodies after the claim). Used to show that a shutdown then
/// still gives those mails back.
/// </summary>
internal sealed class CancelledAfterClaimStore(IOutboxStore inner, IHostApplicationLifetime lifetime) : ForwardingOutboxStore(inner)
{
    private readonly TaskCompletionSource _claimed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _held;

    /// <summary>Done once the first claim with mail is committed and held.</summary>
    public Task Claimed => _claimed.Task;

    public override async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken)
    {
        var items = await Inner.ClaimAsync(worker, max, claimDuration, CancellationToken.None);
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
}
