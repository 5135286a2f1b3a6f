using MailMvc.Templates.Tests.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailMvc.Templates.Tests;

[Collection(SampleTemplatesCollection.Name)]
public sealed class RazorLightEmailRendererTests(SampleTemplatesFixture fixture)
{
    private static readonly GreetingModel s_tom = new("Tom & Jerry <b>", "tom@example.com");

    [Fact]
    public async Task RenderAsync_TemplateWithTextTwin_HtmlEncodedTextAsTyped()
    {
        var email = await fixture.Renderer.RenderAsync("Greeting", s_tom);

        Assert.Equal("Hello, Tom & Jerry <b>", email.Subject);
        Assert.Contains("<h1>Hello, Tom &amp; Jerry &lt;b&gt;!</h1>", email.Html, StringComparison.Ordinal);
        Assert.StartsWith("Hello, Tom & Jerry <b>!", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_TypedThenAnonymousModels_EachReadByItsOwnMembers()
    {
        // A template without @model reads its model as a dynamic one: a public type as it is, an anonymous one (internal
        // to the caller's assembly) through a copy RazorLight makes. Each type's description is kept, and the typed
        // model's must not be used for the anonymous ones (passed as they are, they could not be read).
        using var folder = new TemplateFolder();
        await File.WriteAllTextAsync(folder.File("Card.cshtml"), "<p>@Model.Name at @Model.Email</p>");
        var renderer = folder.CreateRenderer(reloadOnChange: false);

        var typed = await renderer.RenderAsync("Card", new GreetingModel("Ada", "ada@example.com"));
        var anonymous = await renderer.RenderAsync("Card", new { Name = "Grace", Email = "grace@example.com" });
        var other = await renderer.RenderAsync("Card", new { Email = "alan@example.com", Name = "Alan", Town = "Wilmslow" });
        var typedAgain = await renderer.RenderAsync("Card", new GreetingModel("Tom", "tom@example.com"));

        Assert.Contains("<p>Ada at ada@example.com</p>", typed.Html, StringComparison.Ordinal);
        Assert.Contains("<p>Grace at grace@example.com</p>", anonymous.Html, StringComparison.Ordinal);
        Assert.Contains("<p>Alan at alan@example.com</p>", other.Html, StringComparison.Ordinal);
        Assert.Contains("<p>Tom at tom@example.com</p>", typedAgain.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_ModelsFromRegisteredNamespace_LayoutPartialAndBaseUrlRender()
    {
        var email = await fixture.Renderer.RenderAsync("Greeting", s_tom);

        Assert.Contains("<title>Hello, Tom &amp; Jerry &lt;b&gt;</title>", email.Html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://mail.example.test/start\" class=\"button\">Start</a>", email.Html, StringComparison.Ordinal);
        Assert.Contains("Start: https://mail.example.test/start", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_TemplateWithoutTextTwin_DerivesTextFromHtml()
    {
        var email = await fixture.Renderer.RenderAsync("Note", new NoteModel("Hi", "Body & soul"));

        Assert.Equal("Body & soul\n\nVisit the app (https://mail.example.test/)", email.Text);
    }

    [Fact]
    public async Task RenderAsync_TemplateWithoutTextTwinAndTheCallersOwnText_TheCallersTextAndEqualToTheSameMailRenderedWithIt()
    {
        // The compose form gives its own text part: the derived one is never needed, and equality is by content.
        var email = await fixture.Renderer.RenderAsync("Note", new NoteModel("Hi", "Body & soul"));

        var typed = email with { Text = "As typed" };

        Assert.Equal("As typed", typed.Text);
        Assert.Equal(new RenderedEmail(email.Subject, email.Html, "As typed"), typed);
        Assert.Equal(new RenderedEmail(email.Subject, email.Html, "Body & soul\n\nVisit the app (https://mail.example.test/)"), email);
    }

    [Fact]
    public async Task RenderAsync_ShortMailAfterALongOne_RendersOnlyTheShortOne()
    {
        // Renders write into a buffer the thread keeps: nothing of the mail before may stay in it.
        var alone = await fixture.Renderer.RenderAsync("Note", new NoteModel("Hi", "Short"));
        await fixture.Renderer.RenderAsync("Note", new NoteModel("Hi", new string('x', 50_000)));

        var after = await fixture.Renderer.RenderAsync("Note", new NoteModel("Hi", "Short"));

        Assert.Equal(alone.Html, after.Html);
        Assert.DoesNotContain("xxx", after.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_MissingTemplate_ThrowsTemplateNotFoundNamingTemplateAndFolder()
    {
        var exception = await Assert.ThrowsAsync<TemplateNotFoundException>(
            () => fixture.Renderer.RenderAsync("Goodbye", s_tom));

        Assert.Equal("Goodbye", exception.TemplateName);
        Assert.Equal(fixture.Renderer.TemplatesPath, exception.TemplatesPath);
        Assert.Contains("Goodbye.cshtml", exception.Message, StringComparison.Ordinal);
        Assert.Contains(fixture.Renderer.TemplatesPath, exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../Templates/Greeting")]
    [InlineData("/etc/passwd")]
    [InlineData("Greeting.text")]
    public async Task RenderAsync_NameThatIsNotATemplateName_ThrowsArgumentException(string name)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => fixture.Renderer.RenderAsync(name, s_tom));
    }

    [Fact]
    public async Task RenderAsync_ModelsNotRegistered_ThrowsCompilationErrorNamingTheModel()
    {
        var options = new EmailTemplateOptions { TemplatesPath = SampleTemplates.Path, ReloadOnChange = false, BaseUrl = SampleTemplates.BaseUrl };
        var renderer = new RazorLightEmailRenderer(Options.Create(options), NullLogger<RazorLightEmailRenderer>.Instance);

        var exception = await Assert.ThrowsAsync<EmailTemplateCompilationException>(() => renderer.RenderAsync("Note", new NoteModel("Hi", "Hello")));

        Assert.Equal("Note.cshtml", exception.File);
        Assert.Contains("NoteModel", exception.Message, StringComparison.Ordinal);
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

        await fixture.Renderer.RenderAsync("Greeting", s_tom);
        await fixture.Renderer.RenderAsync("Note", new NoteModel("Hi", "Hello"));

        Assert.Equal(before, fixture.Renderer.CompilationCount);
        Assert.Equal(fixture.CompilationsAfterWarmUp, fixture.Renderer.CompilationCount);
    }

    [Fact]
    public void GetTemplates_TemplatesFolder_ListsTemplatesWithoutLayoutsPartialsTwinsOrVariants()
    {
        var templates = fixture.Catalog.GetTemplates();

        Assert.Equal(["Greeting:True:de", "Newsletter:True:", "Note:False:", "Order:False:", "Receipt:False:"], templates.Select(t => $"{t.Name}:{t.HasTextTemplate}:{string.Join(',', t.Cultures)}"));
    }
}
