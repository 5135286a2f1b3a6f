namespace MailMvc.Web.Welcome;

/// <summary>The result of one CSV row.</summary>
/// <param name="Row">The row's line number in the file (the header is line 1).</param>
public sealed record BulkRowResult(int Row, string Name, string Email, BulkRowOutcome Outcome, string Detail);
