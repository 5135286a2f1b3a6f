using System.Data.Common;
using MailMvc.Mail.Transport;

namespace MailMvc.Mail.Outbox;

/// <summary>
/// Sending budgets with the outbox on: counted in its database (SQLite or PostgreSQL), so every instance sharing it
/// shares each budget and a restart forgets nothing. While the outbox is off, or with a store of your own, they are
/// counted in this process.
/// </summary>
internal sealed class OutboxSendBudgetStore : ISendBudgetStore
{
    private readonly OutboxRuntime _outbox;
    private readonly InProcessSendBudgetStore _inProcess;

    public OutboxSendBudgetStore(OutboxRuntime outbox, TimeProvider time)
    {
        _outbox = outbox;
        _inProcess = new InProcessSendBudgetStore(time);
    }

    private SqlOutboxStore? Database => _outbox.Enabled ? _outbox.Store as SqlOutboxStore : null;

    public Task<SendBudgetTake> TakeAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken) =>
        CountAsync(database => database.TakeBudgetAsync(budget, limits, cancellationToken),
            () => _inProcess.TakeAsync(budget, limits, cancellationToken));

    public Task GiveBackAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken) =>
        CountAsync(async database =>
            {
                await database.GiveBackBudgetAsync(budget, cancellationToken).ConfigureAwait(false);
                return true;
            },
            async () =>
            {
                await _inProcess.GiveBackAsync(budget, limits, cancellationToken).ConfigureAwait(false);
                return true;
            });

    public Task<SendBudgetState> GetStateAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken) =>
        CountAsync(database => database.GetBudgetStateAsync(budget, limits, cancellationToken),
            () => _inProcess.GetStateAsync(budget, limits, cancellationToken));

    /// <summary>Counts in the outbox's database while the outbox is on and SQL-backed, in this process otherwise; a
    /// database that cannot be reached makes the mail wait.</summary>
    private async Task<T> CountAsync<T>(Func<SqlOutboxStore, Task<T>> inDatabase, Func<Task<T>> inProcess)
    {
        if (Database is not { } database)
        {
            return await inProcess().ConfigureAwait(false);
        }

        try
        {
            return await inDatabase(database).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or OutboxSchemaException)
        {
            throw Unavailable(e);
        }
    }

    // Like an unreachable server: nothing may go uncounted, so every mail waits for the database.
    private MailDeliveryException Unavailable(Exception e) => new(
        $"The sending budget in the outbox ({_outbox.Description}) could not be read, so the mail waits: {e.Message}", null, isTransient: true, e,
        isConnectionFailure: true);
}
