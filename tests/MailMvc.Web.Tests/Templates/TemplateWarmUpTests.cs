using MailMvc.Templates;
using MailMvc.Templates.Models;

namespace MailMvc.Web.Tests.Templates;

/// <summary>Each test compiles its own copy of the templates, so these run beside the shared fixture.</summary>
public sealed class TemplateWarmUpTests : IDisposable
{
    private readonly TemplateFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public async Task RenderAsync_RequestedWhileWarmingUp_WaitsForTheSameCompilation()
    {
        var renderer = _folder.CreateRenderer(reloadOnChange: false);

        var warmUp = renderer.WarmUpAsync();
        var render = renderer.RenderAsync("Welcome", new WelcomeModel("Ada", "ada@example.com"));
        await Task.WhenAll(warmUp, render);

        Assert.Contains("Welcome, Ada!", (await render).Text, StringComparison.Ordinal);
        Assert.Equal(Directory.GetFiles(_folder.Path, "*.cshtml").Length, renderer.CompilationCount);
    }

    [Fact]
    public async Task WarmUpAsync_TemplateThatDoesNotCompile_CompilesTheOthers()
    {
        await File.WriteAllTextAsync(_folder.File("Broken.cshtml"), "@{ int count = \"not a number\"; }\n<p>@count</p>\n");
        var renderer = _folder.CreateRenderer(reloadOnChange: false);

        var compiled = await renderer.WarmUpAsync();

        Assert.Equal(Directory.GetFiles(_folder.Path, "*.cshtml").Length - 1, compiled);
    }

    [Fact]
    public async Task RenderAsync_LayoutThatDoesNotCompile_ThrowsWithCompilerErrors()
    {
        await File.AppendAllTextAsync(_folder.File("_Layout.cshtml"), "\n@{ int count = \"not a number\"; }\n");
        var renderer = _folder.CreateRenderer(reloadOnChange: false);

        var exception = await Assert.ThrowsAsync<EmailTemplateCompilationException>(
            () => renderer.RenderAsync("Compose", new ComposeModel("Hi", "Hello")));

        Assert.Equal("Compose", exception.TemplateName);
        Assert.Equal("_Layout.cshtml", exception.File);
        Assert.NotEmpty(exception.Errors);
        Assert.Contains("string", exception.Message, StringComparison.Ordinal);
    }
}
