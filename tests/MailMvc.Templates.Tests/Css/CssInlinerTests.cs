using AngleSharp.Dom;
using AngleSharp.Html.Parser;
using MailMvc.Templates.Css;

namespace MailMvc.Templates.Tests.Css;

public sealed class CssInlinerTests
{
    private readonly CssInliner _inliner = new();

    [Fact]
    public void Inline_RulesAndElementStyles_ElementStyleWinsUnlessOnlyTheRuleIsImportant()
    {
        var html = _inliner.Inline("""
            <html><head><style>
              p { color: red; margin: 0; }
              .lead { color: blue; font-size: 18px !important; }
            </style></head>
            <body><p class="lead" style="color:green;font-size:12px">Hi</p><p>There</p></body></html>
            """);

        var paragraphs = Parse(html).QuerySelectorAll("p");
        Assert.Equal("color:green;margin:0;font-size:18px !important;", paragraphs[0].GetAttribute("style"));
        Assert.Equal("color:red;margin:0;", paragraphs[1].GetAttribute("style"));
    }

    [Fact]
    public void Inline_MoreSpecificRuleFirstInSheet_StillWins()
    {
        var html = _inliner.Inline("<style>#main td { color: red; } td { color: blue; }</style><table id=\"main\"><tr><td>x</td></tr></table>");

        Assert.Equal("color:red;", Parse(html).QuerySelector("td")!.GetAttribute("style"));
    }

    [Fact]
    public void Inline_MediaQueriesAndPseudoClasses_StayInOneStyleBlock()
    {
        var html = _inliner.Inline("""
            <head><style>.a { padding: 40px; } @media (max-width: 600px) { .a { padding: 20px !important; } }</style></head>
            <body><style>a:hover { color: red; } .b { color: blue; }</style><div class="a"><span class="b">x</span></div></body>
            """);

        var document = Parse(html);
        var style = Assert.Single(document.QuerySelectorAll("style"));
        Assert.Contains("@media (max-width: 600px) { .a { padding: 20px !important; } }", style.TextContent, StringComparison.Ordinal);
        Assert.Contains("a:hover { color: red; }", style.TextContent, StringComparison.Ordinal);
        Assert.DoesNotContain(".b", style.TextContent, StringComparison.Ordinal);
        Assert.Equal("padding:40px;", document.QuerySelector("div")!.GetAttribute("style"));
        Assert.Equal("color:blue;", document.QuerySelector("span")!.GetAttribute("style"));
    }

    [Fact]
    public void Inline_EverythingInlinable_RemovesTheStyleBlock()
    {
        var html = _inliner.Inline("<head><style>td { color: red; }</style></head><body><table><tr><td>x</td></tr></table></body>");

        Assert.Empty(Parse(html).QuerySelectorAll("style"));
    }

    [Fact]
    public void Inline_DescendantAndChildCombinators_MatchOnlyWhereTheMarkupSays()
    {
        var html = _inliner.Inline("""
            <style>.box > p { color: red; } .box em { color: blue; }</style>
            <div class="box"><p>direct <em>deep</em></p><section><p>nested</p></section></div><em>outside</em>
            """);

        var document = Parse(html);
        var paragraphs = document.QuerySelectorAll("p");
        Assert.Equal("color:red;", paragraphs[0].GetAttribute("style"));
        Assert.Null(paragraphs[1].GetAttribute("style"));
        var emphasis = document.QuerySelectorAll("em");
        Assert.Equal("color:blue;", emphasis[0].GetAttribute("style"));
        Assert.Null(emphasis[1].GetAttribute("style"));
    }

    [Fact]
    public void Inline_ConditionalCommentForOutlook_IsLeftAlone()
    {
        const string Outlook = "<!--[if mso]><style>td { font-family: Arial; }</style><table><tr><td>x</td></tr></table><![endif]-->";

        var html = _inliner.Inline("<style>td { color: red; }</style>" + Outlook + "<table><tr><td>y</td></tr></table>");

        Assert.Contains(Outlook, html, StringComparison.Ordinal);
        Assert.Contains("<td style=\"color:red;\">y</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Inline_NoStyleBlock_ReturnsTheSameString()
    {
        const string Html = "<p style=\"color:red\">Hi</p>";

        Assert.Same(Html, _inliner.Inline(Html));
    }

    [Fact]
    public void Inline_SameStylesheetManyTimes_ParsesItOnce()
    {
        for (var i = 0; i < 50; i++)
        {
            _inliner.Inline($"<style>p {{ color: red; }}</style><p>{i}</p>");
        }

        Assert.Equal(1, _inliner.ParseCount);
    }

    [Fact]
    public void Inline_RuleValueWithDoubleQuotes_StaysOneValidAttribute()
    {
        var html = _inliner.Inline("<style>p { font-family: \"Segoe UI\", Arial; }</style><p>x</p>");

        Assert.Equal("font-family:\"Segoe UI\", Arial;", Parse(html).QuerySelector("p")!.GetAttribute("style"));
    }

    private static IDocument Parse(string html) => new HtmlParser().ParseDocument(html);
}
