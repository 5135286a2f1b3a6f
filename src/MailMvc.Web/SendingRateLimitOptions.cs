namespace MailMvc.Web;

/// <summary>How much one client address may send, section <c>RateLimits:Sending</c>: requests a minute, and
/// recipients a minute and a day (every address of a composed mail, every row of a list).</summary>
public sealed class SendingRateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "RateLimits:Sending";

    /// <summary>Sends allowed per client address per minute.</summary>
    public int PermitsPerMinute { get; set; } = 30;

    /// <summary>Recipients one client address may send to in a minute.</summary>
    public int RecipientsPerMinute { get; set; } = 500;

    /// <summary>Recipients one client address may send to in a day.</summary>
    public int RecipientsPerDay { get; set; } = 5000;
}
