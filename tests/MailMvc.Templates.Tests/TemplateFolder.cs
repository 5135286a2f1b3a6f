using Microsoft.Extensions.Logging.Abstractions;

namespace MailMvc.Templates.Tests;

/// <summary>A private copy of the sample templates in a temporary folder, for tests that edit them.</summary>
public sealed class TemplateFolder : IDisposable
{
    public TemplateFolder()
    {
        Path = Directory.CreateTempSubdirectory("mailmvc-templates-").FullName;
        foreach (var file in Directory.EnumerateFiles(SampleTemplates.Path))
        {
            System.IO.File.Copy(file, System.IO.Path.Combine(Path, System.IO.Path.GetFileName(file)));
        }
    }

    public string Path { get; }

    /// <summary>How many <c>.cshtml</c> files the folder holds now.</summary>
    public int FileCount => Directory.GetFiles(Path, "*.cshtml").Length;

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public RazorLightEmailRenderer CreateRenderer(bool reloadOnChange, string? compiledTemplatesPath = null) =>
        new(Microsoft.Extensions.Options.Options.Create(SampleTemplates.Options(Path, reloadOnChange, compiledTemplatesPath)),
            NullLogger<RazorLightEmailRenderer>.Instance);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}
