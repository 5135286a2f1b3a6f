using System.Globalization;

namespace MailMvc.Web.Compose;

/// <summary>The few words the Sent page shows about whom a mail went to. It travels in the TempData cookie, so it
/// stays short whatever was typed: forty long display names once made that cookie so large that the browser's every
/// later request was refused (431).</summary>
public static class RecipientSummary
{
    /// <summary>Addresses named before "and N more".</summary>
    public const int Shown = 5;

    /// <summary>Characters one address may take before it is cut with an ellipsis.</summary>
    public const int MaxLength = 60;

    /// <summary>"ann@example.com, bob@example.com and 3 more", each address cut at <see cref="MaxLength"/>.</summary>
    public static string Describe(IReadOnlyList<string> recipients)
    {
        ArgumentNullException.ThrowIfNull(recipients);
        var named = string.Join(", ", recipients.Take(Shown).Select(r => r.Length <= MaxLength ? r : string.Concat(r.AsSpan(0, MaxLength - 1), "…")));
        return recipients.Count <= Shown ? named : string.Create(CultureInfo.InvariantCulture, $"{named} and {recipients.Count - Shown} more");
    }
}
