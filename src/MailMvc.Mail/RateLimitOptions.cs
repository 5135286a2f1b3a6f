namespace MailMvc.Mail;

/// <summary>
/// A sending budget: at most so many mails a second, a minute and a day (a UTC day), each unset for no limit. Set it
/// per server (<c>Mail:Servers:0:RateLimit:PerSecond</c>), or for the single server of the flat settings
/// (<c>Mail:RateLimit:PerSecond</c>). Over the second's or minute's budget a send waits for room; over the day's it
/// fails as a transient error about the server (the outbox keeps the mail and tries again), until the day resets.
/// The budget is kept in this process: several instances each have their own.
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
