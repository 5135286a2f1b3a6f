namespace MailMvc.Templates;

/// <summary>
/// Thrown when an email template, or a layout or partial it uses, is not in the templates folder.
/// </summary>
public sealed class TemplateNotFoundException : Exception
{
    /// <summary>Creates the exception for a template that has no <c>{template}.cshtml</c> file.</summary>
    /// <param name="templateName">The template asked for, such as <c>Welcome</c>.</param>
    /// <param name="templatesPath">The folder it was looked for in.</param>
    public TemplateNotFoundException(string templateName, string templatesPath)
        : base($"The email template '{templateName}' was not found: there is no {templateName}.cshtml in {templatesPath}.")
    {
        TemplateName = templateName;
        TemplatesPath = templatesPath;
    }

    /// <summary>Creates the exception for a template whose layout or partial is missing.</summary>
    /// <param name="templateName">The template being rendered.</param>
    /// <param name="templatesPath">The templates folder.</param>
    /// <param name="innerException">RazorLight's report of the missing file.</param>
    public TemplateNotFoundException(string templateName, string templatesPath, Exception innerException)
        : base($"The email template '{templateName}' uses a layout or partial that is not in {templatesPath}: {innerException.Message}", innerException)
    {
        TemplateName = templateName;
        TemplatesPath = templatesPath;
    }

    /// <summary>The template asked for.</summary>
    public string TemplateName { get; }

    /// <summary>The templates folder it was looked for in.</summary>
    public string TemplatesPath { get; }
}
