using System.Data.Common;
using System.Globalization;
using MailMvc.Mail.Transport;

namespace MailMvc.Mail.Outbox;

/// <summary>
/// The sending budgets in the outbox's database (table <c>mailmvc_outbox_budget</c>), so every instance sharing it
/// shares each budget: a row per budget, window (<c>minute</c>, <c>day</c>) and window start counts the mails taken
/// in it; the <c>second</c> row holds the next free slot of the second's spacing (Unix milliseconds). A take changes
/// its rows with <c>INSERT … ON CONFLICT … DO UPDATE … RETURNING</c> in one transaction, so the row locks make
/// concurrent takes queue up and a full window takes nothing.
/// </summary>
internal abstract partial class SqlOutboxStore
{
    private const long MinuteMilliseconds = 60_000;
    private const long DayMilliseconds = 86_400_000;

    /// <summary>The SQL function of the larger of two values: <c>MAX</c> in SQLite, <c>GREATEST</c> in PostgreSQL.</summary>
    protected virtual string Greatest => "MAX";

    /// <summary>Takes room for one mail in every window <paramref name="limits"/> sets, all or none, and waits for the
    /// mail's slot in the second's spacing.</summary>
    public async Task<SendBudgetTake> TakeBudgetAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var (full, wait) = await CountAsync(budget, limits, cancellationToken).ConfigureAwait(false);
        if (full is not null || limits.PerSecond is not { } perSecond)
        {
            return full ?? new SendBudgetTake(TimeSpan.Zero);
        }

        // A worker that wakes well after its slot (a busy machine, a paused process) would send together with the mails
        // of the slots after it: it takes a new slot instead, so the mails reach the server spaced as the budget says.
        var tolerance = TimeSpan.FromMilliseconds(500.0 / perSecond);
        for (var tries = 1; wait > TimeSpan.Zero; tries++)
        {
            var waiting = _time.GetTimestamp();
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            if (_time.GetElapsedTime(waiting) - wait <= tolerance || tries == 3)
            {
                break;
            }

            await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
            wait = await ReserveSlotAsync(connection, null, budget, perSecond, cancellationToken).ConfigureAwait(false);
        }

        return new SendBudgetTake(TimeSpan.Zero);
    }

    /// <summary>Counts one mail in the day's and minute's windows and reserves its slot in the second's spacing, in one
    /// transaction.</summary>
    /// <returns>The full window (nothing counted), or how long to wait for the slot.</returns>
    private async Task<(SendBudgetTake? Full, TimeSpan Wait)> CountAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var now = await ClockAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        // Always in the same order (day, minute, second), so two takes never wait for each other's rows crosswise.
        // The day is counted with no limit too: the pages show what each server sent today.
        foreach (var (period, limit, length) in new[] { ("day", limits.PerDay, DayMilliseconds), ("minute", limits.PerMinute, MinuteMilliseconds) })
        {
            if (limit is null && period == "minute")
            {
                continue;
            }

            var start = now / length * length;
            await using var count = Command(connection,
                """
                INSERT INTO mailmvc_outbox_budget AS b (budget, period, window_start, used) VALUES (@budget, @period, @start, 1)
                ON CONFLICT (budget, period, window_start) DO UPDATE SET used = b.used + 1 WHERE b.used < @limit
                RETURNING used
                """,
                ("budget", budget), ("period", period), ("start", start), ("limit", (long?)limit ?? long.MaxValue));
            count.Transaction = transaction;
            if (await count.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is null)
            {
                await transaction.RollbackAsync(cancellationToken).ConfigureAwait(false);
                return (new SendBudgetTake(TimeSpan.Zero, FromUnix(start + length), period == "day" ? SendBudgetPeriod.Day : SendBudgetPeriod.Minute),
                    TimeSpan.Zero);
            }
        }

        var wait = limits.PerSecond is { } perSecond
            ? await ReserveSlotAsync(connection, transaction, budget, perSecond, cancellationToken).ConfigureAwait(false)
            : TimeSpan.Zero;
        var reserved = _time.GetTimestamp();
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        // The slot is a moment, not a delay: the time the commit took is already spent.
        return (null, wait - _time.GetElapsedTime(reserved));
    }

    /// <summary>Reserves the next free slot of the second's spacing, one interval after the one before, for all instances.</summary>
    /// <returns>How long until the slot.</returns>
    private async Task<TimeSpan> ReserveSlotAsync(DbConnection connection, DbTransaction? transaction, string budget, int perSecond,
        CancellationToken cancellationToken)
    {
        // The clock is read once the row is locked, so a take that queued for the lock is not placed in the past.
        var interval = (long)Math.Ceiling(1000.0 / perSecond);
        await using var slot = Command(connection,
            $"""
            INSERT INTO mailmvc_outbox_budget AS b (budget, period, window_start, used) VALUES (@budget, 'second', 0, {ClaimClock} + @interval)
            ON CONFLICT (budget, period, window_start) DO UPDATE SET used = {Greatest}(b.used, {ClaimClock}) + @interval
            RETURNING used - @interval - {ClaimClock}
            """,
            ("budget", budget), ("now", Now()), ("interval", interval));
        slot.Transaction = transaction;
        return TimeSpan.FromMilliseconds(Convert.ToInt64(await slot.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture));
    }

    /// <summary>Gives back one mail's count in the current day's and minute's windows (not its second's slot).</summary>
    public async Task GiveBackBudgetAsync(string budget, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var now = await ClockAsync(connection, null, cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            """
            UPDATE mailmvc_outbox_budget SET used = used - 1
            WHERE budget = @budget AND used > 0 AND ((period = 'day' AND window_start = @day) OR (period = 'minute' AND window_start = @minute))
            """,
            ("budget", budget), ("day", now / DayMilliseconds * DayMilliseconds), ("minute", now / MinuteMilliseconds * MinuteMilliseconds));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads how much of a budget is used today, and whether its day's or minute's window is full.</summary>
    public async Task<SendBudgetState> GetBudgetStateAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var now = await ClockAsync(connection, null, cancellationToken).ConfigureAwait(false);
        var (day, minute) = (now / DayMilliseconds * DayMilliseconds, now / MinuteMilliseconds * MinuteMilliseconds);
        await using var command = Command(connection,
            """
            SELECT period, used FROM mailmvc_outbox_budget
            WHERE budget = @budget AND ((period = 'day' AND window_start = @day) OR (period = 'minute' AND window_start = @minute))
            """,
            ("budget", budget), ("day", day), ("minute", minute));
        long usedToday = 0, usedThisMinute = 0;
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (reader.GetString(0) == "day")
                {
                    usedToday = reader.GetInt64(1);
                }
                else
                {
                    usedThisMinute = reader.GetInt64(1);
                }
            }
        }

        var resetsAt = FromUnix(day + DayMilliseconds);
        return limits.PerDay is { } perDay && usedToday >= perDay ? new SendBudgetState(usedToday, resetsAt, resetsAt, SendBudgetPeriod.Day)
            : limits.PerMinute is { } perMinute && usedThisMinute >= perMinute
                ? new SendBudgetState(usedToday, resetsAt, FromUnix(minute + MinuteMilliseconds), SendBudgetPeriod.Minute)
                : new SendBudgetState(usedToday, resetsAt);
    }

    /// <summary>Puts a claimed mail back in the queue until <paramref name="until"/> without counting the attempt: it was
    /// not tried, a budget had no room for it.</summary>
    public async Task<bool> DeferAsync(long id, string worker, DateTimeOffset until, string reply, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            """
            UPDATE mailmvc_outbox SET status = 'queued', next_attempt_at = @until, attempts = attempts - 1, last_reply = @reply,
                locked_by = NULL, locked_until = NULL
            WHERE id = @id AND locked_by = @worker
            """,
            ("id", id), ("worker", worker), ("until", until.ToUnixTimeMilliseconds()), ("reply", reply));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    /// <summary>Deletes the counts of windows long over (minutes after an hour, days after <paramref name="before"/>).</summary>
    private async Task DeleteOldBudgetWindowsAsync(DbConnection connection, DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var command = Command(connection,
            "DELETE FROM mailmvc_outbox_budget WHERE (period = 'minute' AND window_start < @hourAgo) OR (period = 'day' AND window_start < @before)",
            ("hourAgo", Now() - (60 * MinuteMilliseconds)), ("before", Math.Min(before.ToUnixTimeMilliseconds(), Now() - (2 * DayMilliseconds))));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Now in Unix milliseconds as the claims see it (<see cref="ClaimClock"/>): the database server's clock where
    /// several machines share the budget.</summary>
    private async Task<long> ClockAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, $"SELECT {ClaimClock}", ("now", Now()));
        command.Transaction = transaction;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture);
    }
}
