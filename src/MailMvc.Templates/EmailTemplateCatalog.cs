using MailMvc.Templates.Rendering;
using Microsoft.Extensions.Options;

namespace MailMvc.Templates;

/// <summary>Reads the templates folder on every call, so a template added while developing shows at once.</summary>
internal sealed class EmailTemplateCatalog : IEmailTemplateCatalog
{
    internal const string Extension = ".cshtml";
    internal const string TextExtension = ".text.cshtml";

    public EmailTemplateCatalog(IOptions<EmailTemplateOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        TemplatesPath = options.Value.TemplatesPath
            ?? throw new InvalidOperationException("EmailTemplates:TemplatesPath was not resolved; register the templates with AddEmailTemplates.");
    }

    public string TemplatesPath { get; }

    public IReadOnlyList<EmailTemplateInfo> GetTemplates()
    {
        var keys = EnumerateFiles(TemplatesPath).ToHashSet(StringComparer.Ordinal);
        var names = keys
            .Where(key => !IsPartial(key) && !key.EndsWith(TextExtension, StringComparison.OrdinalIgnoreCase))
            .Select(key => key[..^Extension.Length])
            .ToHashSet(StringComparer.Ordinal);
        var cultures = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (TemplateVariants.TryParse(name, names.Contains, out var template, out var culture))
            {
                (cultures.TryGetValue(template, out var list) ? list : cultures[template] = []).Add(culture);
            }
        }

        return names
            .Where(name => !TemplateVariants.TryParse(name, names.Contains, out _, out _))
            .Select(name => new EmailTemplateInfo(name, keys.Contains(name + TextExtension))
            {
                Cultures = cultures.TryGetValue(name, out var list) ? list.Order(StringComparer.Ordinal).ToList() : [],
            })
            .OrderBy(template => template.Name, StringComparer.OrdinalIgnoreCase)
            .ToList();
    }

    /// <summary>Every <c>.cshtml</c> file under <paramref name="root"/>, as a key relative to it with <c>/</c>
    /// separators, layouts and partials included.</summary>
    internal static IEnumerable<string> EnumerateFiles(string root) =>
        Directory.EnumerateFiles(root, "*" + Extension, SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(root, path).Replace('\\', '/'))
            .Order(StringComparer.Ordinal);

    /// <summary>Layouts and partials are named with a leading underscore, as in ASP.NET Core MVC.</summary>
    internal static bool IsPartial(string key) => Path.GetFileName(key).StartsWith('_');
}
