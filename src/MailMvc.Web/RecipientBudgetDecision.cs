namespace MailMvc.Web;

/// <summary>What <see cref="RecipientBudget.TryTake"/> decided.</summary>
/// <param name="Allowed">True when the recipients were taken from the budget and the mail may go.</param>
/// <param name="RetryAt">When refused: when the budget that refused has room again; null when the request is larger
/// than that whole budget and can never pass.</param>
/// <param name="Limit">When refused: the budget that refused, in recipients.</param>
/// <param name="Period">When refused: "minute" or "day".</param>
public sealed record RecipientBudgetDecision(bool Allowed, DateTimeOffset? RetryAt = null, int Limit = 0, string Period = "")
{
    /// <summary>The decision that lets a send go.</summary>
    public static RecipientBudgetDecision Granted { get; } = new(true);

    /// <summary>A sentence for the person refused: what the budget is and when to try again.</summary>
    public string Describe(DateTimeOffset now) => RetryAt is { } at
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Too many recipients: your address may send to {Limit} a {Period}, and this would go over. You can send again at {at.UtcDateTime:HH:mm:ss} UTC (in {Wait(at - now)}).")
        : string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"Too many recipients at once: your address may send to {Limit} a {Period}. Send to fewer addresses (split a list into smaller ones).");

    private static string Wait(TimeSpan wait) => wait.TotalMinutes >= 90
        ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"about {Math.Ceiling(wait.TotalHours):0} hours")
        : wait.TotalSeconds > 90
            ? string.Create(System.Globalization.CultureInfo.InvariantCulture, $"about {Math.Ceiling(wait.TotalMinutes):0} minutes")
            : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{Math.Max(1, Math.Ceiling(wait.TotalSeconds)):0} seconds");
}
