using AngleSharp.Html.Dom;
using AngleSharp.Html.Parser;
using MailMvc.Templates;
using MailMvc.Web.Welcome;

namespace MailMvc.Web.Tests.Templates;

[Collection(EmailTemplatesCollection.Name)]
public sealed class WelcomeTemplateTests(EmailTemplatesFixture fixture)
{
    private const string TrickyName = "Tom & Jerry <b>";

    private Task<RenderedEmail> RenderAsync(string name = TrickyName, bool showDeveloperLinks = true) =>
        fixture.Renderer.RenderAsync("Welcome", new WelcomeModel(name, "tom@example.com", showDeveloperLinks));

    private static IHtmlDocument Parse(string html) => new HtmlParser().ParseDocument(html);

    [Fact]
    public async Task RenderAsync_Welcome_SubjectGreetsByNameUnencoded()
    {
        var email = await RenderAsync();

        Assert.Equal("Welcome to MailMvc, Tom & Jerry <b>", email.Subject);
    }

    [Fact]
    public async Task RenderAsync_NameWithMarkup_HtmlShowsNameAsText()
    {
        var email = await RenderAsync();

        var document = Parse(email.Html);
        Assert.Equal("Welcome, Tom & Jerry <b>!", document.QuerySelector("h1")?.TextContent);
        Assert.Empty(document.QuerySelectorAll("td.email-content b"));
        Assert.Contains("Tom &amp; Jerry &lt;b&gt;", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_NameWithMarkup_TextPartKeepsNameExactlyAsTyped()
    {
        var email = await RenderAsync();

        Assert.Contains("Welcome, Tom & Jerry <b>!", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("&amp;", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("&lt;", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_NameInAnyScript_HtmlKeepsLettersReadable()
    {
        var email = await RenderAsync("Zoë 日本");

        Assert.Contains("Welcome, Zoë 日本!", email.Html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_Welcome_TextPartComesFromTextTwinWithAbsoluteLinks()
    {
        var email = await RenderAsync("Ada");

        Assert.StartsWith("Welcome, Ada!", email.Text, StringComparison.Ordinal);
        Assert.Contains("Compose your first mail: https://mail.example.test/compose", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_Welcome_HtmlIsWrappedInLayoutWithPreheader()
    {
        var email = await RenderAsync();

        var document = Parse(email.Html);
        var preheader = document.Body!.Children.First();
        Assert.Contains("display:none", preheader.GetAttribute("style"), StringComparison.Ordinal);
        Assert.StartsWith("Your account is ready.", preheader.TextContent, StringComparison.Ordinal);
        Assert.Contains(document.QuerySelectorAll("table"), table => table.GetAttribute("style")?.Contains("max-width:600px", StringComparison.Ordinal) == true);
        Assert.Equal("Welcome to MailMvc, Tom & Jerry <b>", document.Title);
        Assert.Contains("Visit MailMvc", document.Body.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_Welcome_LayoutStylesheetInlinedAndMediaQueryKept()
    {
        var email = await RenderAsync("Ada");

        var document = Parse(email.Html);
        var content = document.QuerySelector("td.email-content")!.GetAttribute("style")!;
        Assert.Contains("padding:40px;", content, StringComparison.Ordinal);
        Assert.Contains("font-family:-apple-system, BlinkMacSystemFont, 'Segoe UI'", content, StringComparison.Ordinal);
        Assert.Equal("color:#4f46e5;text-decoration:none;", document.QuerySelector("td.email-brand a")!.GetAttribute("style"));
        Assert.Equal("margin:0;", document.QuerySelectorAll("td.email-footer p")[1].GetAttribute("style"));
        var style = Assert.Single(document.QuerySelectorAll("style"));
        Assert.Contains("@media only screen and (max-width: 620px)", style.TextContent, StringComparison.Ordinal);
        Assert.Contains("@media (prefers-color-scheme: dark)", style.TextContent, StringComparison.Ordinal);
        // The rules that were inlined are gone from the block; only the media queries (and :root) stay.
        Assert.DoesNotContain(".email-brand a", style.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(".email-footer p", style.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_Welcome_HasCallToActionButtonAndLinks()
    {
        var email = await RenderAsync();

        var document = Parse(email.Html);
        var links = document.QuerySelectorAll("td.email-content a").OfType<IHtmlAnchorElement>().ToList();
        Assert.Contains(links, a => a.Href == "https://mail.example.test/compose" && a.TextContent == "Compose your first mail");
        Assert.Contains(links, a => a.Href == "https://mail.example.test/welcome");
        Assert.Contains(links, a => a.Href == "https://mail.example.test/dev/mail");
    }

    [Fact]
    public async Task RenderAsync_WithoutDeveloperLinks_NeitherPartLinksToThePreviews()
    {
        var email = await RenderAsync(showDeveloperLinks: false);

        Assert.DoesNotContain("dev/mail", email.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("dev/mail", email.Text, StringComparison.Ordinal);
        Assert.Contains("https://mail.example.test/welcome", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_WithDeveloperLinks_TextPartListsThePreviewsOnItsOwnLine()
    {
        var email = await RenderAsync(showDeveloperLinks: true);

        Assert.Contains("\n- Preview every email template while you develop: https://mail.example.test/dev/mail\n", email.Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }
}
