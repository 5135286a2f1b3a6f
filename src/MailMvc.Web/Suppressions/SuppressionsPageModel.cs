using MailMvc.Mail.Suppression;

namespace MailMvc.Web.Suppressions;

/// <summary>What the suppressions page shows.</summary>
/// <param name="Entries">The entries found, newest first.</param>
/// <param name="Search">What the list is filtered by; null shows every entry.</param>
/// <param name="Limit">The most entries shown.</param>
/// <param name="Form">The add form, as typed when it had a problem.</param>
public sealed record SuppressionsPageModel(IReadOnlyList<SuppressedAddress> Entries, string? Search, int Limit, SuppressionForm Form);
