using System.Text;
using AngleSharp.Html.Parser;
using MailMvc.Templates.Css;
using MailMvc.Templates.Tests.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailMvc.Templates.Tests.Css;

[Collection(SampleTemplatesCollection.Name)]
public sealed class CssInliningRenderTests(SampleTemplatesFixture fixture)
{
    private static readonly NoteModel s_note = new("Your receipt", "Thanks for your order.");

    [Fact]
    public async Task RenderAsync_LayoutStylesheetAndTemplateStyleBlock_RulesInlinedMediaQueryKept()
    {
        var email = await fixture.Renderer.RenderAsync("Receipt", s_note);

        var document = new HtmlParser().ParseDocument(email.Html);
        Assert.Equal("margin:0;background-color:#f3f4f6;", document.Body!.GetAttribute("style"));
        Assert.Equal("padding:40px;font-family:Arial, sans-serif;", document.QuerySelector("td.content")!.GetAttribute("style"));
        Assert.Equal("margin:0 0 16px 0;", document.QuerySelector("p")!.GetAttribute("style"));
        Assert.Equal("font-weight:700;color:#b91c1c;margin:0 0 16px 0;", document.QuerySelector("p.total")!.GetAttribute("style"));
        var style = Assert.Single(document.QuerySelectorAll("style"));
        Assert.Contains("@media only screen and (max-width: 620px)", style.TextContent, StringComparison.Ordinal);
        Assert.Contains("a:hover", style.TextContent, StringComparison.Ordinal);
        Assert.Same(style, document.Head!.QuerySelector("style"));
    }

    [Fact]
    public async Task RenderAsync_ManyRenders_ParsesTheTemplatesStylesheetOnce()
    {
        using var folder = new TemplateFolder();
        var renderer = folder.CreateRenderer(reloadOnChange: false);

        for (var i = 0; i < 20; i++)
        {
            await renderer.RenderAsync("Receipt", s_note with { Body = $"Order {i}" });
        }

        Assert.Equal(1, renderer.StylesheetParseCount);
    }

    [Theory]
    [InlineData(true, 3)]
    [InlineData(false, 1)]
    public async Task RenderAsync_MarkupFollowingTheModelAfterOtherRenders_StyledForItsOwnMarkup(bool gift, int items)
    {
        // Renders of other shapes first, so this one meets the tags the inliner kept from them.
        foreach (var (otherGift, otherItems) in new[] { (!gift, items + 2), (gift, items + 1), (!gift, 0) })
        {
            await fixture.Renderer.RenderAsync("Order", new OrderModel([.. Enumerable.Repeat("Other", otherItems)], otherGift));
        }

        var email = await fixture.Renderer.RenderAsync("Order", new OrderModel([.. Enumerable.Range(1, items).Select(i => $"Item {i}")], gift));

        var document = new HtmlParser().ParseDocument(email.Html);
        Assert.Equal(gift, document.QuerySelector(".gift p")?.GetAttribute("style")?.Contains("color:#15803d", StringComparison.Ordinal) ?? false);
        Assert.Equal("margin:0 0 16px 0;", document.QuerySelector("td.content > p")!.GetAttribute("style"));
        var cells = document.QuerySelectorAll(".items td");
        Assert.Equal(items * 2, cells.Length);
        Assert.All(cells, cell => Assert.StartsWith("padding:4px 8px;", cell.GetAttribute("style"), StringComparison.Ordinal));
        Assert.All(document.QuerySelectorAll(".items td.price"), cell => Assert.Equal("padding:4px 8px;text-align:right;", cell.GetAttribute("style")));
        Assert.All(document.QuerySelectorAll(".items td:not(.price)"), cell => Assert.Equal("padding:4px 8px;", cell.GetAttribute("style")));
    }

    [Theory]
    [InlineData("Receipt", 0)]
    [InlineData("Receipt", 40_000)]
    [InlineData("Greeting", 0)]
    public async Task RenderAsync_InlinedFromTheRenderedText_SameAsTheInlinerOnTheRenderedString(string template, int bodyChars)
    {
        // The renderer inlines from the text it rendered into, without making a string of it first: the result must be
        // the inliner's on that string (whose own tests pin its output), for a mail with style blocks and one without,
        // and for one longer than a new render builder holds (rendered into several pieces, then, kept, into one).
        using var folder = new TemplateFolder();
        var options = SampleTemplates.Options(folder.Path, reloadOnChange: false);
        options.InlineCss = false;
        var plain = new RazorLightEmailRenderer(Options.Create(options), NullLogger<RazorLightEmailRenderer>.Instance);
        object model = template == "Receipt"
            ? s_note with { Body = bodyChars == 0 ? s_note.Body : string.Concat(Enumerable.Repeat("Thanks for your order. ", bodyChars / 23)) }
            : new GreetingModel("Ada", "ada@example.com");

        for (var i = 0; i < 3; i++)
        {
            var inlined = await fixture.Renderer.RenderAsync(template, model);
            var rendered = await plain.RenderAsync(template, model);

            Assert.Equal(new CssInliner().Inline(rendered.Html), inlined.Html);
            Assert.Equal(rendered.Text, inlined.Text);
        }
    }

    [Fact]
    public void OnlyChunk_OnePieceOrSeveral_TheTextOrNull()
    {
        var one = new StringBuilder(64).Append("<p>one piece</p>");
        var several = new StringBuilder(16);
        for (var i = 0; i < 10; i++)
        {
            several.Append("<p>grown past its first piece</p>");
        }

        var pieces = 0;
        foreach (var _ in several.GetChunks())
        {
            pieces++;
        }

        Assert.True(pieces > 1);
        Assert.Equal("<p>one piece</p>", RazorLightEmailRenderer.OnlyChunk(one)?.ToString());
        Assert.Null(RazorLightEmailRenderer.OnlyChunk(several));
        Assert.Equal("", RazorLightEmailRenderer.OnlyChunk(new StringBuilder())?.ToString());
    }

    [Fact]
    public async Task RenderAsync_InlineCssOff_StyleBlocksAsWritten()
    {
        using var folder = new TemplateFolder();
        var options = SampleTemplates.Options(folder.Path, reloadOnChange: false);
        options.InlineCss = false;
        var renderer = new RazorLightEmailRenderer(Options.Create(options), NullLogger<RazorLightEmailRenderer>.Instance);

        var email = await renderer.RenderAsync("Receipt", s_note);

        var document = new HtmlParser().ParseDocument(email.Html);
        Assert.Equal(2, document.QuerySelectorAll("style").Length);
        Assert.Null(document.Body!.GetAttribute("style"));
        Assert.Equal("color:#b91c1c;", document.QuerySelector("p.total")!.GetAttribute("style"));
    }
}
