namespace MailMvc.Templates;

/// <summary>An email template in the templates folder.</summary>
/// <param name="Name">The name to render it by, such as <c>Welcome</c> (a path with <c>/</c> for a subfolder).</param>
/// <param name="HasTextTemplate">Whether a <c>{Name}.text.cshtml</c> twin renders the plain-text part; without one
/// the text part is derived from the HTML.</param>
public sealed record EmailTemplateInfo(string Name, bool HasTextTemplate)
{
    /// <summary>The cultures it has variants for (<c>Welcome.de.cshtml</c> makes <c>de</c>), sorted.</summary>
    public IReadOnlyList<string> Cultures { get; init; } = [];
}
