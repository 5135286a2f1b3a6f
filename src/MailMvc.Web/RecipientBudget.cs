using Microsoft.Extensions.Options;

namespace MailMvc.Web;

/// <summary>
/// Counts mails, not requests: each client address may send to <see cref="SendingRateLimitOptions.RecipientsPerMinute"/>
/// recipients a minute and <see cref="SendingRateLimitOptions.RecipientsPerDay"/> a day, in fixed windows that start
/// with the first send. Kept in memory: each instance behind a balancer counts its own share.
/// </summary>
public sealed class RecipientBudget
{
    private static readonly TimeSpan s_minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan s_day = TimeSpan.FromDays(1);

    private readonly Dictionary<string, Usage> _usage = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly SendingRateLimitOptions _options;
    private DateTimeOffset _nextSweep;

    public RecipientBudget(IOptions<SendingRateLimitOptions> options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _time = time;
    }

    /// <summary>The most recipients one request can ever be allowed: the smaller of the two budgets.</summary>
    public int Largest => Math.Min(_options.RecipientsPerMinute, _options.RecipientsPerDay);

    /// <summary>The current time, for <see cref="RecipientBudgetDecision.Describe"/>.</summary>
    public DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Takes <paramref name="recipients"/> from <paramref name="client"/>'s budgets when both have room; takes
    /// nothing otherwise.</summary>
    public RecipientBudgetDecision TryTake(string client, int recipients)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentOutOfRangeException.ThrowIfNegative(recipients);
        var now = _time.GetUtcNow();
        lock (_lock)
        {
            Sweep(now);
            if (!_usage.TryGetValue(client, out var usage))
            {
                usage = new Usage(now);
                _usage[client] = usage;
            }

            usage.Roll(now);
            if (recipients > _options.RecipientsPerMinute)
            {
                return new RecipientBudgetDecision(false, null, _options.RecipientsPerMinute, "minute");
            }

            if (recipients > _options.RecipientsPerDay)
            {
                return new RecipientBudgetDecision(false, null, _options.RecipientsPerDay, "day");
            }

            if (usage.Day + recipients > _options.RecipientsPerDay)
            {
                return new RecipientBudgetDecision(false, usage.DayStart + s_day, _options.RecipientsPerDay, "day");
            }

            if (usage.Minute + recipients > _options.RecipientsPerMinute)
            {
                return new RecipientBudgetDecision(false, usage.MinuteStart + s_minute, _options.RecipientsPerMinute, "minute");
            }

            usage.Minute += recipients;
            usage.Day += recipients;
            return RecipientBudgetDecision.Granted;
        }
    }

    /// <summary>Forgets clients whose day is over, at most once a minute, so the table does not grow for ever.</summary>
    private void Sweep(DateTimeOffset now)
    {
        if (now < _nextSweep)
        {
            return;
        }

        _nextSweep = now + s_minute;
        foreach (var (client, usage) in _usage.Where(entry => now >= entry.Value.DayStart + s_day).ToList())
        {
            _usage.Remove(client);
        }
    }

    private sealed class Usage(DateTimeOffset now)
    {
        public DateTimeOffset MinuteStart { get; private set; } = now;

        public DateTimeOffset DayStart { get; private set; } = now;

        public int Minute { get; set; }

        public int Day { get; set; }

        public void Roll(DateTimeOffset now)
        {
            if (now >= MinuteStart + s_minute)
            {
                (MinuteStart, Minute) = (now, 0);
            }

            if (now >= DayStart + s_day)
            {
                (DayStart, Day) = (now, 0);
            }
        }
    }
}
