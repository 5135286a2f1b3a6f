using MailMvc.Mail.Outbox;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>
/// The outbox's own store, except that every claim that takes mail is held after the database committed it, until
/// <see cref="ReturnClaim"/> (or 8 s): a test stops the workers meanwhile, so the claims return to workers that are
/// stopping, as a claim that reads the claimed mails in a statement of its own can (the SQL stores read their bodies
/// after the claim). Used to show that a shutdown then still gives those mails back. (Holding only the first let a
/// second worker's claim of the mail the first left go through on PostgreSQL: CI once saw one of five sent.)
/// </summary>
internal sealed class CancelledAfterClaimStore(IOutboxStore inner) : ForwardingOutboxStore(inner)
{
    private readonly TaskCompletionSource _claimed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _returnClaim = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Done once the first claim with mail is committed and held.</summary>
    public Task Claimed => _claimed.Task;

    /// <summary>Lets the held claim return its mails to the worker.</summary>
    public void ReturnClaim() => _returnClaim.TrySetResult();

    public override async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken)
    {
        var items = await Inner.ClaimAsync(worker, max, claimDuration, CancellationToken.None);
        if (items.Count > 0)
        {
            _claimed.TrySetResult();
            await Task.WhenAny(_returnClaim.Task, Task.Delay(TimeSpan.FromSeconds(8)));
            cancellationToken.ThrowIfCancellationRequested();
        }

        return items;
    }
}
