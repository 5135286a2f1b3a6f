using AngleSharp.Html.Parser;
using MailMvc.Web.Compose;

namespace MailMvc.Web.Tests.Compose;

public sealed class ComposeMarkdownTests
{
    [Fact]
    public void ToHtml_HeadingListAndLink_RendersThem()
    {
        var html = ComposeMarkdown.ToHtml("# Plans\n\n- lunch\n- walk\n\nSee [the menu](https://example.com/menu).");

        var document = new HtmlParser().ParseDocument(html);
        Assert.Equal("Plans", document.QuerySelector("h1")?.TextContent);
        Assert.Equal(["lunch", "walk"], document.QuerySelectorAll("ul > li").Select(li => li.TextContent));
        Assert.Equal("https://example.com/menu", document.QuerySelector("a")?.GetAttribute("href"));
    }

    [Fact]
    public void ToHtml_ScriptTypedAsText_ArrivesEscaped()
    {
        var html = ComposeMarkdown.ToHtml("Hi <script>alert('x')</script>\n\n<script>alert('y')</script>\n\n<img src=x onerror=alert(1)>");

        var document = new HtmlParser().ParseDocument(html);
        Assert.Empty(document.QuerySelectorAll("script, img"));
        Assert.Contains("&lt;script&gt;alert('x')&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<script>alert('y')</script>", document.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void ToHtml_JavascriptLink_BecomesItsText()
    {
        var html = ComposeMarkdown.ToHtml("[click me](javascript:alert(1)) and [mail](mailto:ada@example.com)");

        var document = new HtmlParser().ParseDocument(html);
        var link = Assert.Single(document.QuerySelectorAll("a"));
        Assert.Equal("mailto:ada@example.com", link.GetAttribute("href"));
        Assert.Contains("click me", document.Body!.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain("javascript", html, StringComparison.OrdinalIgnoreCase);
    }
}
