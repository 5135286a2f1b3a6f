namespace MailMvc.Mail.Tests;

/// <summary>For tests of daily sending budgets, which reset at midnight UTC: a run that straddled midnight would see a
/// budget reset under it, and a reset time a day later than the one it computed.</summary>
public static class UtcDay
{
    // Longer than any of these tests takes, even on a busy CI machine.
    private static readonly TimeSpan s_margin = TimeSpan.FromMinutes(3);

    /// <summary>Waits, when the UTC day ends within the next three minutes, until the next one has begun; then returns
    /// the midnight that ends the day the test runs in.</summary>
    public static async Task<DateTimeOffset> StartWellBeforeMidnightAsync()
    {
        var now = DateTimeOffset.UtcNow;
        var midnight = new DateTimeOffset(now.UtcDateTime.Date.AddDays(1), TimeSpan.Zero);
        if (midnight - now < s_margin)
        {
            await Task.Delay(midnight - now + TimeSpan.FromSeconds(1));
            midnight = midnight.AddDays(1);
        }

        return midnight;
    }
}
