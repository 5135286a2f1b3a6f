using MailMvc.Templates.Tests.Models;

namespace MailMvc.Templates.Tests;

/// <summary>The library's sample templates in <c>Templates/</c> (copied beside the tests) and the settings every
/// test renders them with: their models registered, links to <see cref="BaseUrl"/>.</summary>
public static class SampleTemplates
{
    public const string BaseUrl = "https://mail.example.test/";

    public static string Path => System.IO.Path.Combine(AppContext.BaseDirectory, "Templates");

    /// <summary>The settings for the templates in <paramref name="templatesPath"/>.</summary>
    public static void Configure(EmailTemplateOptions options, string templatesPath)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.TemplatesPath = templatesPath;
        options.BaseUrl = BaseUrl;
        options.AddModelsFrom<GreetingModel>();
    }

    /// <summary>Options for a renderer made directly, as tests that need several over one folder make them.</summary>
    public static EmailTemplateOptions Options(string templatesPath, bool reloadOnChange, string? compiledTemplatesPath = null)
    {
        var options = new EmailTemplateOptions { ReloadOnChange = reloadOnChange, CompiledTemplatesPath = compiledTemplatesPath };
        Configure(options, templatesPath);
        return options;
    }
}
