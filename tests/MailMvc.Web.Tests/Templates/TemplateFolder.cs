using MailMvc.Templates;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Tests.Templates;

/// <summary>A private copy of the templates in a temporary folder, for tests that edit them.</summary>
public sealed class TemplateFolder : IDisposable
{
    public TemplateFolder()
    {
        Path = Directory.CreateTempSubdirectory("mailmvc-templates-").FullName;
        foreach (var file in Directory.EnumerateFiles(EmailTemplatesFixture.TemplatesPath))
        {
            System.IO.File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
        }
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public RazorLightEmailRenderer CreateRenderer(bool reloadOnChange) =>
        new(Options.Create(new EmailTemplateOptions
        {
            TemplatesPath = Path,
            ReloadOnChange = reloadOnChange,
            BaseUrl = EmailTemplatesFixture.BaseUrl,
        }), NullLogger<RazorLightEmailRenderer>.Instance);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
