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

    [Fact]
    public void Inline_SameTagInAnotherPlaceNextMail_GetsTheStylesOfItsNewPlace()
    {
        const string Sheet = "<style>.gift p { color: green; } p { margin: 0; }</style>";
        _inliner.Inline(Sheet + "<div class=\"gift\"><p>Wrapped</p></div><p>Thanks</p>");

        var html = _inliner.Inline(Sheet + "<p>Thanks</p><div class=\"gift\"><p>Wrapped</p></div>");

        var paragraphs = Parse(html).QuerySelectorAll("p");
        Assert.Equal("margin:0;", paragraphs[0].GetAttribute("style"));
        Assert.Equal("margin:0;color:green;", paragraphs[1].GetAttribute("style"));
    }

    [Fact]
    public void Inline_StructureChangingFromMailToMail_SameAsAFreshInliner()
    {
        // Mails of one template whose markup follows the model: a wrapper or not, rows and list items in varying
        // numbers (li closed by the next li), a void tag, a script. Each must come out as an inliner that never saw
        // the others would write it.
        const string Sheet = """
            <style>
              table.items > tr > td { padding: 4px; } .items td.price { text-align: right; } .gift p { color: green; }
              ul > li { margin: 0 0 4px 0; } li li { margin: 0; } p { margin: 0; } img { border: 0; }
              #lead { font-size: 18px; } @media (max-width: 600px) { p { margin: 4px !important; } }
            </style>
            """;
        var random = new Random(15);
        for (var mail = 0; mail < 200; mail++)
        {
            var body = new System.Text.StringBuilder(Sheet);
            if (random.Next(2) == 0)
            {
                body.Append("<div class=\"gift\"><p id=\"lead\">Wrapped</p><img src=\"x.png\" alt=\"\"></div>");
            }

            body.Append("<table class=\"items\">");
            for (var row = random.Next(4); row >= 0; row--)
            {
                body.Append("<tr><td>Item</td><td class=\"price\">1.00</td></tr>");
            }

            body.Append("</table><ul>");
            for (var item = random.Next(4); item >= 0; item--)
            {
                body.Append(random.Next(3) == 0 ? "<li>Nested<ul><li>Inner</ul>" : "<li>Plain");
            }

            body.Append("</ul><script>var p = '<p>';</script><p>Thanks</p>");

            var html = _inliner.Inline(body.ToString());

            Assert.Equal(new CssInliner().Inline(body.ToString()), html);
            var document = Parse(html);
            Assert.All(document.QuerySelectorAll("li li"), li => Assert.Equal("margin:0;", li.GetAttribute("style")));
            Assert.All(document.QuerySelectorAll("body > ul > li"), li => Assert.Equal("margin:0 0 4px 0;", li.GetAttribute("style")));
            Assert.All(document.QuerySelectorAll(".gift p"), p => Assert.Equal("margin:0;color:green;font-size:18px;", p.GetAttribute("style")));
            Assert.Equal("margin:0;", document.QuerySelectorAll("p")[^1].GetAttribute("style"));
        }
    }

    [Fact]
    public void Inline_TagWithPersonalTextInEveryMail_StylesRightAndKeepsFewTags()
    {
        const string Sheet = "<style>p { margin: 0; } .unsubscribe { color: gray; } .unsubscribe b { font-weight: 400; }</style>";
        string html = string.Empty;
        for (var mail = 0; mail < 500; mail++)
        {
            html = _inliner.Inline(Sheet + $"<p><a class=\"unsubscribe\" href=\"https://example.com/u/{mail}\"><b>Unsubscribe</b></a></p>");
        }

        var link = Parse(html).QuerySelector("a")!;
        Assert.Equal("https://example.com/u/499", link.GetAttribute("href"));
        Assert.Equal("color:gray;", link.GetAttribute("style"));
        Assert.Equal("font-weight:400;", link.QuerySelector("b")!.GetAttribute("style"));
        Assert.InRange(_inliner.TagNodeCount, 1, 100);
    }

    [Fact]
    public void Inline_ManyTagsOfOneLengthAndEnding_EachStyledByItsOwnClassInEveryMail()
    {
        // More than a few different tags below one element, all of one length and ending alike: each is found again
        // below it by its whole text, in whatever order the next mail has them.
        var sheet = "<style>" + string.Concat(Enumerable.Range(0, 10).Select(i => $".k{i} {{ margin: {i}px; }} ")) + "</style>";
        int[] order = [.. Enumerable.Range(0, 10)];
        for (var mail = 0; mail < 3; mail++)
        {
            var spans = string.Concat(order.Select(i => $"<span class=\"k{i}\" title=\"same end\">{i}</span>"));

            var html = _inliner.Inline(sheet + "<p>" + spans + "</p>");

            Assert.Equal(order.Select(i => $"margin:{i}px;"), Parse(html).QuerySelectorAll("span").Select(span => span.GetAttribute("style")));
            order = [.. order.Reverse()];
        }
    }

    [Fact]
    public void Inline_QuotedGreaterThanInAnAttribute_TagsSharingTheStartStyledApart()
    {
        const string Sheet = "<style>.a { color: red; } .b { color: blue; }</style>";
        _inliner.Inline(Sheet + "<p title=\"1 > 0\" class=\"a\">x</p>");

        var html = _inliner.Inline(Sheet + "<p title=\"1 > 0\" class=\"b\">x</p>");

        var paragraph = Parse(html).QuerySelector("p")!;
        Assert.Equal("1 > 0", paragraph.GetAttribute("title"));
        Assert.Equal("color:blue;", paragraph.GetAttribute("style"));
    }

    private static IDocument Parse(string html) => new HtmlParser().ParseDocument(html);
}
