using MailMvc.Templates.Lint;
using Microsoft.Extensions.Options;

namespace MailMvc.Templates.Configuration;

/// <summary>Stops start-up with a clear message when the templates cannot be found or links cannot be built.</summary>
internal sealed class EmailTemplateOptionsValidator : IValidateOptions<EmailTemplateOptions>
{
    public ValidateOptionsResult Validate(string? name, EmailTemplateOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrEmpty(options.TemplatesPath))
        {
            failures.Add("No email templates folder was found; looked in " + string.Join(", ", options.SearchedPaths) +
                ". Set EmailTemplates:TemplatesPath to the folder that holds the .cshtml templates.");
        }
        else if (!Directory.Exists(options.TemplatesPath))
        {
            failures.Add($"EmailTemplates:TemplatesPath is '{options.TemplatesPath}', which is not a folder.");
        }

        foreach (var assembly in options.ModelAssemblies.Where(assembly => assembly.IsDynamic || string.IsNullOrEmpty(assembly.Location)))
        {
            failures.Add($"EmailTemplates:ModelAssemblies holds {assembly.GetName().Name}, which was not loaded from a file; " +
                "templates compile only against assemblies on disk, so keep template models in one.");
        }

        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
        {
            failures.Add($"EmailTemplates:BaseUrl is '{options.BaseUrl}'; give the web app's absolute http or https address, such as {EmailTemplateOptions.DefaultBaseUrl}.");
        }

        if (EmailLint.Validate(options.Lint) is { } lintProblem)
        {
            failures.Add(lintProblem);
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
