namespace MailMvc.Mail;

/// <summary>
/// A sending budget: at most so many mails a second, a minute and a day (a UTC day), each unset for no limit. Set it
/// per server (<c>Mail:Servers:0:RateLimit:PerSecond</c>), or for the single server of the flat settings
/// (<c>Mail:RateLimit:PerSecond</c>). Over the second's budget a send waits for its slot (the mails are spaced evenly);
/// over the minute's it waits too, or with the outbox on waits queued in the outbox; over the day's it fails as a
/// transient error about the server (<see cref="MailBudgetExceededException"/>) and the outbox keeps the mail queued,
/// without counting an attempt, until the day resets. Without the outbox the budget is kept in this process; with the
/// outbox on, in its database, shared by every instance that uses it.
/// </summary>
public sealed class RateLimitOptions
{
    /// <summary>Mails a second.</summary>
    public int? PerSecond { get; set; }

    /// <summary>Mails a minute.</summary>
    public int? PerMinute { get; set; }

    /// <summary>Mails a UTC day.</summary>
    public int? PerDay { get; set; }

    /// <summary>True when any limit is set.</summary>
    public bool IsSet => PerSecond is not null || PerMinute is not null || PerDay is not null;
}
