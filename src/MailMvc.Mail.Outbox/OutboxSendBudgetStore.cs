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

    public async Task<SendBudgetTake> TakeAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken)
    {
        if (Database is not { } database)
        {
            return await _inProcess.TakeAsync(budget, limits, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await database.TakeBudgetAsync(budget, limits, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or OutboxSchemaException)
        {
            throw Unavailable(e);
        }
    }

    public async Task GiveBackAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken)
    {
        if (Database is not { } database)
        {
            await _inProcess.GiveBackAsync(budget, limits, cancellationToken).ConfigureAwait(false);
            return;
        }

        try
        {
            await database.GiveBackBudgetAsync(budget, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is DbException or OutboxSchemaException)
        {
            throw Unavailable(e);
        }
    }

    public async Task<SendBudgetState> GetStateAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken)
    {
        if (Database is not { } database)
        {
            return await _inProcess.GetStateAsync(budget, limits, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            return await database.GetBudgetStateAsync(budget, limits, cancellationToken).ConfigureAwait(false);
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
