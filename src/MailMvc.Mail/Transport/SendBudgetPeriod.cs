namespace MailMvc.Mail.Transport;

/// <summary>The window a sending budget counts over (<see cref="RateLimitOptions"/>).</summary>
public enum SendBudgetPeriod
{
    /// <summary>Mails a second (<see cref="RateLimitOptions.PerSecond"/>).</summary>
    Second,

    /// <summary>Mails a minute (<see cref="RateLimitOptions.PerMinute"/>).</summary>
    Minute,

    /// <summary>Mails a UTC day (<see cref="RateLimitOptions.PerDay"/>, or <see cref="MailOptions.DailyLimit"/>).</summary>
    Day,
}
