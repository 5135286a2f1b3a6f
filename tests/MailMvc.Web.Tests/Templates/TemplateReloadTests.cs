using MailMvc.Templates.Models;

namespace MailMvc.Web.Tests.Templates;

/// <summary>Each test compiles its own copy of the templates, so these run beside the shared fixture.</summary>
public sealed class TemplateReloadTests : IDisposable
{
    private readonly TemplateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RenderAsync_TemplateEditedWithReloadOn_ShowsEditOnNextRender()
    {
        var renderer = _folder.CreateRenderer(reloadOnChange: true);
        var model = new ComposeModel("Hi", "Hello");
        var before = await renderer.RenderAsync("Compose", model);

        await File.AppendAllTextAsync(_folder.File("Compose.cshtml"), "\n<p>Edited while running</p>\n");
        var after = await renderer.RenderAsync("Compose", model);

        Assert.DoesNotContain("Edited while running", before.Html, StringComparison.Ordinal);
        Assert.Contains("Edited while running", after.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_LayoutEditedWithReloadOn_ShowsEditOnNextRender()
    {
        var renderer = _folder.CreateRenderer(reloadOnChange: true);
        var model = new ComposeModel("Hi", "Hello");
        await renderer.RenderAsync("Compose", model);

        var layout = _folder.File("_Layout.cshtml");
        await File.WriteAllTextAsync(layout, (await File.ReadAllTextAsync(layout)).Replace("Visit MailMvc", "Come back to MailMvc", StringComparison.Ordinal));
        var after = await renderer.RenderAsync("Compose", model);

        Assert.Contains("Come back to MailMvc", after.Html, StringComparison.Ordinal);
    }
}
