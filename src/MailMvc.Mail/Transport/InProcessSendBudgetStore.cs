using System.Collections.Concurrent;

namespace MailMvc.Mail.Transport;

/// <summary>
/// Counts sending budgets in this process (the default without the outbox): two instances each send their budget. Over
/// the second's or the minute's budget <see cref="TakeAsync"/> waits for room (20 a second: one every 50 ms); over the
/// day's it says the day is full until the next UTC midnight.
/// </summary>
public sealed class InProcessSendBudgetStore : ISendBudgetStore
{
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, SendBudget> _budgets = new(StringComparer.Ordinal);

    /// <summary>Creates the store.</summary>
    /// <param name="time">The clock.</param>
    /// <exception cref="ArgumentNullException"><paramref name="time"/> is null.</exception>
    public InProcessSendBudgetStore(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
    }

    /// <inheritdoc />
    public async Task<SendBudgetTake> TakeAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(limits);
        var counter = For(budget, limits);
        while (!counter.TryTake(out var wait))
        {
            if (wait is not { } delay)
            {
                return new SendBudgetTake(TimeSpan.Zero, counter.ResetsAt, SendBudgetPeriod.Day);
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }

        return new SendBudgetTake(TimeSpan.Zero);
    }

    /// <inheritdoc />
    public Task GiveBackAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(limits);
        For(budget, limits).GiveBack();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<SendBudgetState> GetStateAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(budget);
        ArgumentNullException.ThrowIfNull(limits);
        var counter = For(budget, limits);
        var used = counter.UsedToday;
        // Only the day's budget is ever full here: over the second's or minute's, a send waits for room.
        return Task.FromResult(limits.PerDay is { } perDay && used >= perDay
            ? new SendBudgetState(used, counter.ResetsAt, counter.ResetsAt, SendBudgetPeriod.Day)
            : new SendBudgetState(used, counter.ResetsAt));
    }

    private SendBudget For(string budget, RateLimitOptions limits) => _budgets.GetOrAdd(budget, _ => new SendBudget(limits, _time));
}
