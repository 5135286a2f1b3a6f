// <snippet:custom-store>
using MailMvc.Mail.Outbox;

namespace MailMvc.Samples.Extensions;

// For tests and demos only: nothing here survives the process, so it breaks IOutboxStore's promise that a
// change is durable when the call returns, and several app instances cannot share it.
// UseStore<T> creates the store from the container: its constructor may take any registered service.
// The other IOutboxStore members are in InMemoryOutboxStore.Members.cs.
public sealed partial class InMemoryOutboxStore(TimeProvider time) : IOutboxStore
{
    private readonly Lock _lock = new();
    private readonly List<Row> _rows = [];

    public Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken)
    {
        lock (_lock) // one claim at a time: a claimed mail is not claimed again until its claim expires
        {
            var now = time.GetUtcNow();
            var due = _rows.Where(r => r.IsDue(now)).OrderBy(r => r.NextAttemptAt).ThenBy(r => r.Item.Id).Take(max).ToList();
            due.ForEach(r => r.Claim(worker, now + claimDuration));
            return Task.FromResult<IReadOnlyList<OutboxItem>>(due.Select(r => r.Item).ToList());
        }
    }
}
// </snippet:custom-store>
