using MailMvc.Templates.Tests.Models;

namespace MailMvc.Templates.Tests;

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
        var render = renderer.RenderAsync("Greeting", new GreetingModel("Ada", "ada@example.com"));
        await Task.WhenAll(warmUp, render);

        Assert.Contains("Hello, Ada!", (await render).Text, StringComparison.Ordinal);
        Assert.Equal(_folder.FileCount, renderer.CompilationCount);
    }

    [Fact]
    public async Task WarmUpAsync_TemplateThatDoesNotCompile_CompilesTheOthers()
    {
        await File.WriteAllTextAsync(_folder.File("Broken.cshtml"), "@{ int count = \"not a number\"; }\n<p>@count</p>\n");
        var renderer = _folder.CreateRenderer(reloadOnChange: false);

        var compiled = await renderer.WarmUpAsync();

        Assert.Equal(_folder.FileCount - 1, compiled);
    }

    [Fact]
    public async Task RenderAsync_LayoutThatDoesNotCompile_ThrowsWithCompilerErrors()
    {
        await File.AppendAllTextAsync(_folder.File("_Layout.cshtml"), "\n@{ int count = \"not a number\"; }\n");
        var renderer = _folder.CreateRenderer(reloadOnChange: false);

        var exception = await Assert.ThrowsAsync<EmailTemplateCompilationException>(
            () => renderer.RenderAsync("Note", new NoteModel("Hi", "Hello")));

        Assert.Equal("Note", exception.TemplateName);
        Assert.Equal("_Layout.cshtml", exception.File);
        Assert.NotEmpty(exception.Errors);
        Assert.Contains("string", exception.Message, StringComparison.Ordinal);
    }
}
