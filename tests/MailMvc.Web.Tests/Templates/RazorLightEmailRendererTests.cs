using MailMvc.Templates;
using MailMvc.Templates.Models;

namespace MailMvc.Web.Tests.Templates;

[Collection(EmailTemplatesCollection.Name)]
public sealed class RazorLightEmailRendererTests(EmailTemplatesFixture fixture)
{
    [Fact]
    public async Task RenderAsync_MissingTemplate_ThrowsTemplateNotFoundNamingTemplateAndFolder()
    {
        var exception = await Assert.ThrowsAsync<TemplateNotFoundException>(
            () => fixture.Renderer.RenderAsync("Goodbye", new WelcomeModel("Ada", "ada@example.com")));

        Assert.Equal("Goodbye", exception.TemplateName);
        Assert.Equal(fixture.Renderer.TemplatesPath, exception.TemplatesPath);
        Assert.Contains("Goodbye.cshtml", exception.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Renderer.TemplatesPath, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../Templates/Welcome")]
    [InlineData("/etc/passwd")]
    [InlineData("Welcome.text")]
    public async Task RenderAsync_NameThatIsNotATemplateName_ThrowsArgumentException(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(
            () => fixture.Renderer.RenderAsync(name, new WelcomeModel("Ada", "ada@example.com")));
    }

    [Fact]
    public void WarmUp_AtStartUp_CompilesEveryTemplateFileOnce()
    {
        var files = Directory.GetFiles(fixture.Renderer.TemplatesPath, "*.cshtml").Length;

        Assert.Equal(files, fixture.CompilationsAfterWarmUp);
    }

    [Fact]
    public async Task RenderAsync_AfterWarmUp_CompilesNothing()
    {
        var before = fixture.Renderer.CompilationCount;

        await fixture.Renderer.RenderAsync("Welcome", new WelcomeModel("Ada", "ada@example.com"));
        await fixture.Renderer.RenderAsync("Compose", new ComposeModel("Hi", "Hello"));

        Assert.Equal(before, fixture.Renderer.CompilationCount);
        Assert.Equal(fixture.CompilationsAfterWarmUp, fixture.Renderer.CompilationCount);
    }

    [Fact]
    public void GetTemplates_TemplatesFolder_ListsTemplatesWithoutLayoutsPartialsOrTwins()
    {
        var templates = fixture.Catalog.GetTemplates();

        Assert.Equal([new EmailTemplateInfo("Compose", false), new EmailTemplateInfo("Welcome", true)], templates);
    }
}
