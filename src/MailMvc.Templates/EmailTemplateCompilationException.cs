namespace MailMvc.Templates;

/// <summary>
/// Thrown when an email template, or a layout or partial it uses, is not valid Razor or C#. The message lists
/// the compiler's errors with their lines; fix the file and, in Development, render again.
/// </summary>
public sealed class EmailTemplateCompilationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="templateName">The template being rendered.</param>
    /// <param name="file">The file that does not compile, relative to the templates folder.</param>
    /// <param name="errors">The compiler's errors.</param>
    /// <param name="innerException">The compiler's exception.</param>
    public EmailTemplateCompilationException(string templateName, string file, IReadOnlyList<string> errors, Exception innerException)
        : base($"The email template '{templateName}' does not compile: {file} has {errors.Count} error(s):{Environment.NewLine}" +
            string.Join(Environment.NewLine, errors), innerException)
    {
        TemplateName = templateName;
        File = file;
        Errors = errors;
    }

    /// <summary>The template being rendered.</summary>
    public string TemplateName { get; }

    /// <summary>The file that does not compile, relative to the templates folder.</summary>
    public string File { get; }

    /// <summary>The compiler's errors, each with its line.</summary>
    public IReadOnlyList<string> Errors { get; }
}
