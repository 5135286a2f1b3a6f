using System.Globalization;
using MailMvc.Mail;
using MailMvc.Mail.Transport;

namespace MailMvc.Web.Welcome;

/// <summary>When mails still to go should be sent, when the sending budgets (not the connections) set the pace: at the
/// servers' rate together (each one's tightest of its second's and minute's budgets), and no more than what is left of the
/// day's budgets each UTC day.</summary>
/// <param name="At">When the last of them should be sent.</param>
/// <param name="Budget">The budgets that set the pace, in words (<c>20 a second, 5 a day (0 left today)</c>).</param>
public sealed record BudgetFinish(DateTimeOffset At, string Budget)
{
    /// <summary>The estimate for <paramref name="remaining"/> mails from <paramref name="now"/>, or null when no budget limits them.</summary>
    public static BudgetFinish? For(IReadOnlyList<SendBudgetReport> budgets, long remaining, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(budgets);
        var servers = budgets.Where(b => b.Budget.Budget != SendBudgets.AllMail).ToList();
        var brake = budgets.FirstOrDefault(b => b.Budget.Budget == SendBudgets.AllMail);
        if (remaining <= 0 || budgets.Count == 0)
        {
            return null;
        }

        // A rate only when every server has one: a server without a budget sends as fast as the connections go.
        double? rate = servers.Count > 0 && servers.All(s => Rate(s.Budget.Limits) is not null) ? servers.Sum(s => Rate(s.Budget.Limits)!.Value) : null;
        long? perDay = servers.Count > 0 && servers.All(s => s.Budget.Limits.PerDay is not null) ? servers.Sum(s => (long)s.Budget.Limits.PerDay!.Value) : null;
        long? leftToday = perDay is null ? null : servers.Sum(s => Math.Max(0, s.Budget.Limits.PerDay!.Value - s.State.UsedToday));
        if (brake is { Budget.Limits.PerDay: { } brakeDay })
        {
            (perDay, leftToday) = (Math.Min(perDay ?? long.MaxValue, brakeDay), Math.Min(leftToday ?? long.MaxValue, Math.Max(0, brakeDay - brake.State.UsedToday)));
        }

        if (rate is null && perDay is null)
        {
            return null;
        }

        if (rate is null && remaining <= leftToday)
        {
            return null;
        }

        var seconds = (double count) => rate is { } r ? TimeSpan.FromSeconds(count / r) : TimeSpan.Zero;
        DateTimeOffset at;
        if (perDay is not { } day || remaining <= leftToday)
        {
            at = now + seconds(remaining);
        }
        else
        {
            // What does not fit today goes from the next UTC midnight on, a day's budget a day.
            var after = remaining - leftToday!.Value;
            var fullDays = (after - 1) / day;
            var midnight = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
            at = midnight.AddDays(fullDays) + seconds(after - (fullDays * day));
        }

        var words = new List<string>();
        if (rate is { } perSecond)
        {
            words.Add(string.Create(CultureInfo.InvariantCulture, $"{perSecond:0.##} a second"));
        }

        if (perDay is { } daily)
        {
            words.Add(string.Create(CultureInfo.InvariantCulture, $"{daily} a day ({leftToday} left today)"));
        }

        return new BudgetFinish(at, string.Join(", ", words));
    }

    private static double? Rate(RateLimitOptions limits) =>
        (limits.PerSecond, limits.PerMinute) switch
        {
            ({ } s, { } m) => Math.Min(s, m / 60.0),
            ({ } s, null) => s,
            (null, { } m) => m / 60.0,
            _ => null,
        };
}
