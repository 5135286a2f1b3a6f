namespace MailMvc.Templates;

/// <summary>Lists the email templates that can be rendered, for the template preview page.</summary>
public interface IEmailTemplateCatalog
{
    /// <summary>The absolute path of the templates folder.</summary>
    string TemplatesPath { get; }

    /// <summary>
    /// The templates in the folder as it is now, sorted by name. Layouts and partials (files whose name starts
    /// with <c>_</c>), <c>.text.cshtml</c> twins and per-culture variants (<c>Welcome.de.cshtml</c>, listed in
    /// <see cref="EmailTemplateInfo.Cultures"/>) are not templates of their own.
    /// </summary>
    IReadOnlyList<EmailTemplateInfo> GetTemplates();
}
