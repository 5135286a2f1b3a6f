namespace MailMvc.Web;

/// <summary>How often one client address may send, section <c>RateLimits:Sending</c>.</summary>
public sealed class SendingRateLimitOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "RateLimits:Sending";

    /// <summary>Sends allowed per client address per minute.</summary>
    public int PermitsPerMinute { get; set; } = 30;
}
