using MailMvc.Templates.Tests.Models;

namespace MailMvc.Templates.Tests;

/// <summary>Each test compiles its own copy of the templates, so these run beside the shared fixture.</summary>
public sealed class TemplateReloadTests : IDisposable
{
    private readonly TemplateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RenderAsync_TemplateEditedWithReloadOn_ShowsEditOnNextRender()
    {
        var renderer = _folder.CreateRenderer(reloadOnChange: true);
        var model = new NoteModel("Hi", "Hello");
        var before = await renderer.RenderAsync("Note", model);

        await File.AppendAllTextAsync(_folder.File("Note.cshtml"), "\n<p>Edited while running</p>\n");
        var after = await renderer.RenderAsync("Note", model);

        Assert.DoesNotContain("Edited while running", before.Html, StringComparison.Ordinal);
        Assert.Contains("Edited while running", after.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_LayoutEditedWithReloadOn_ShowsEditOnNextRender()
    {
        var renderer = _folder.CreateRenderer(reloadOnChange: true);
        var model = new NoteModel("Hi", "Hello");
        await renderer.RenderAsync("Note", model);

        var layout = _folder.File("_Layout.cshtml");
        await File.WriteAllTextAsync(layout, (await File.ReadAllTextAsync(layout)).Replace("Visit the app", "Come back to the app", StringComparison.Ordinal));
        var after = await renderer.RenderAsync("Note", model);

        Assert.Contains("Come back to the app", after.Html, StringComparison.Ordinal);
    }
}
