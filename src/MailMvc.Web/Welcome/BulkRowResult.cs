namespace MailMvc.Web.Welcome;

/// <summary>The result of one CSV row.</summary>
/// <param name="Row">The row's line number in the file (the header is line 1).</param>
/// <param name="Name">The name as the row gave it.</param>
/// <param name="Email">The address as the row gave it.</param>
/// <param name="Outcome">What happened.</param>
/// <param name="Detail">The Message-ID when sent or queued, else why not (the validation message or the server's reply).</param>
/// <param name="Locale">The language its mail is rendered in (<c>de</c>), or null for the template's own.</param>
public sealed record BulkRowResult(int Row, string Name, string Email, BulkRowOutcome Outcome, string Detail, string? Locale = null);
