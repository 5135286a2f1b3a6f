namespace MailMvc.Web.DevMail;

/// <summary>How a mail fares with the bulk-sender rules of Gmail and Yahoo: whether and how it is DKIM-signed, and,
/// for bulk mail (one with <c>List-Unsubscribe</c>), the hygiene checks.</summary>
/// <param name="Dkim">"signed at delivery: d=example.com, s=mail2026", or why it is not signed.</param>
/// <param name="IsSigned">True when it is (or will be) signed.</param>
/// <param name="IsBulk">True when the mail carries <c>List-Unsubscribe</c>: the bulk rules apply.</param>
/// <param name="Checks">The bulk checks; empty for a mail to one person.</param>
public sealed record DeliverabilityReport(string Dkim, bool IsSigned, bool IsBulk, IReadOnlyList<MailCheck> Checks);
