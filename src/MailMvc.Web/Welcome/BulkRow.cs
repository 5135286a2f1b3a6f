namespace MailMvc.Web.Welcome;

/// <summary>One row of a list as the import stores it.</summary>
/// <param name="Line">The row's line number in the file (the header is line 1).</param>
/// <param name="Name">The name as the row gave it (cut at <see cref="BulkWelcomeOptions.MaxNameBytes"/>).</param>
/// <param name="Email">The address as the row gave it (cut at <see cref="BulkWelcomeOptions.MaxEmailBytes"/>).</param>
/// <param name="Outcome"><see cref="BulkRowOutcome.Waiting"/>, or <see cref="BulkRowOutcome.Invalid"/>.</param>
/// <param name="Detail">Why it is invalid, or null.</param>
/// <param name="Locale">The language its mail is rendered in (<c>de</c>), or null for the template's own.</param>
public sealed record BulkRow(int Line, string Name, string Email, BulkRowOutcome Outcome, string? Detail, string? Locale = null)
{
    /// <summary>The address as compared for duplicates and earlier uploads: trimmed, lower case.</summary>
    public string EmailKey => Email.Trim().ToLowerInvariant();
}
