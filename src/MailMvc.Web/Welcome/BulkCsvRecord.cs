namespace MailMvc.Web.Welcome;

/// <summary>One line of a list as <see cref="BulkCsvReader"/> read it.</summary>
/// <param name="Line">Its line number (the header is line 1).</param>
/// <param name="Name">The name cell (at most the cap's bytes).</param>
/// <param name="Email">The address cell (at most the cap's bytes).</param>
/// <param name="Problem">Why the line cannot be used (an unclosed quote, a cell over its cap), or null.</param>
/// <param name="Locale">The optional <c>locale</c> cell (<c>de</c>, <c>fr-CA</c>), or null when the list has no such
/// column or the cell is empty.</param>
public sealed record BulkCsvRecord(int Line, string Name, string Email, string? Problem, string? Locale = null);
