using AngleSharp.Html.Parser;
using MailMvc.Templates;
using MailMvc.Web.Compose;

namespace MailMvc.Web.Tests.Templates;

[Collection(EmailTemplatesCollection.Name)]
public sealed class ComposeTemplateTests(EmailTemplatesFixture fixture)
{
    private const string Body = "Hello <there>,\nsecond line & more\n\nNew paragraph\r\nwith a CRLF line";

    private Task<RenderedEmail> RenderAsync(string subject = "Q3 <report> & more") =>
        fixture.Renderer.RenderAsync("Compose", new ComposeModel(subject, Body));

    [Fact]
    public async Task RenderAsync_Compose_SubjectIsModelSubjectUnencoded()
    {
        var email = await RenderAsync();

        Assert.Equal("Q3 <report> & more", email.Subject);
    }

    [Fact]
    public async Task RenderAsync_TypedBody_BecomesEncodedParagraphsWithLineBreaks()
    {
        var email = await RenderAsync();

        var content = new HtmlParser().ParseDocument(email.Html).QuerySelector("td.email-content")!;
        var paragraphs = content.QuerySelectorAll("p");
        Assert.Equal(2, paragraphs.Length);
        Assert.Single(paragraphs[0].QuerySelectorAll("br"));
        Assert.Contains("Hello <there>,", paragraphs[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("second line & more", paragraphs[0].TextContent, StringComparison.Ordinal);
        Assert.Empty(content.QuerySelectorAll("there"));
    }

    [Fact]
    public async Task RenderAsync_ComposeWithoutTextTwin_DerivesTextKeepingLinesAndParagraphs()
    {
        var email = await RenderAsync();

        Assert.Contains("Hello <there>,\nsecond line & more\n\nNew paragraph\nwith a CRLF line", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RenderAsync_ComposeWithoutTextTwin_DerivedTextShowsLinksAsTextAndUrl()
    {
        var email = await RenderAsync();

        Assert.Contains("Visit MailMvc (https://mail.example.test/)", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<p", email.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("Q3 <report>", email.Text, StringComparison.Ordinal);
    }
}
