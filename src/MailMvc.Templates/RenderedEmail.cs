namespace MailMvc.Templates;

/// <summary>A rendered email: its subject, HTML part and plain-text part.</summary>
/// <param name="Subject">The subject the template set (<c>ViewBag.Subject</c>), or an empty string.</param>
/// <param name="Html">The HTML part, layout included.</param>
/// <param name="Text">The plain-text part, never HTML-encoded.</param>
public sealed record RenderedEmail(string Subject, string Html, string Text)
{
    /// <summary>The culture of the variant rendered (<c>de</c> for <c>Welcome.de.cshtml</c>), or an empty string for
    /// the template itself.</summary>
    public string Culture { get; init; } = string.Empty;
}
