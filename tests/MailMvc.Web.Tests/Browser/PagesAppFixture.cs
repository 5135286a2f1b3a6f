using MailMvc.Mail.Tests.Integration;

namespace MailMvc.Web.Tests.Browser;

/// <summary>
/// The browser fixture with every page reachable: the outbox on (SQLite in the fixture's folder), an SMTP server that
/// refuses <see cref="RefusedRecipient"/> with 550 so a mail fails for good, and a sending limit of
/// <see cref="PermitsPerMinute"/> posts a minute so the 429 page can be reached.
/// </summary>
public sealed class PagesAppFixture : BrowserAppFixture
{
    /// <summary>The address the SMTP server answers with 550.</summary>
    public const string RefusedRecipient = "refused@example.com";

    /// <summary>Posts to the sending pages allowed per minute.</summary>
    public const int PermitsPerMinute = 4;

    internal override SmtpTestServerOptions SmtpOptions => new() { RefuseRecipient = RefusedRecipient };

    protected override IReadOnlyDictionary<string, string?> MoreSettings(string workDirectory) => new Dictionary<string, string?>
    {
        ["Mail:Outbox:Enabled"] = "true",
        ["Mail:Outbox:ConnectionString"] = $"Data Source={Path.Combine(workDirectory, "outbox.db")}",
        ["Mail:Outbox:PollInterval"] = "00:00:00.200",
        ["RateLimits:Sending:PermitsPerMinute"] = PermitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),

        // Budgets that never hold a mail back here, so the outbox page shows (and the checks cover) its budget table.
        ["Mail:RateLimit:PerSecond"] = "500",
        ["Mail:RateLimit:PerDay"] = "100000",
        ["Mail:DailyLimit"] = "200000",
    };
}
