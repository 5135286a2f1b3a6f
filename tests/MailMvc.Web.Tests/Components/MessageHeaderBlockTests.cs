using Bunit;
using MailMvc.Web.Components;
using MailMvc.Web.DevMail;

namespace MailMvc.Web.Tests.Components;

public sealed class MessageHeaderBlockTests : BunitContext
{
    private static readonly DateTimeOffset s_date = new(2025, 3, 4, 10, 30, 0, TimeSpan.Zero);

    private static MessageHeaders Headers(string? cc = null, string? replyTo = null, string to = "ann@example.com") =>
        new("MailMvc <noreply@example.com>", to, cc, replyTo, "Hello there", s_date, "abc@example.com");

    private IRenderedComponent<MessageHeaderBlock> RenderBlock(MessageHeaders headers) =>
        Render<MessageHeaderBlock>(p => p.Add(c => c.Headers, headers));

    [Fact]
    public void Render_MinimalHeaders_ShowsFromToSubjectAndDate()
    {
        var block = RenderBlock(Headers());

        block.MarkupMatches("""
            <dl class="message-headers">
              <dt>From</dt><dd class="header-from">MailMvc &lt;noreply@example.com&gt;</dd>
              <dt>To</dt><dd class="header-to">ann@example.com</dd>
              <dt>Subject</dt><dd class="header-subject">Hello there</dd>
              <dt>Date</dt><dd class="header-date">Tue, 04 Mar 2025 10:30:00 GMT</dd>
            </dl>
            """);
    }

    [Fact]
    public void Render_NoCcNorReplyTo_HidesBothLabels()
    {
        var block = RenderBlock(Headers());

        Assert.Empty(block.FindAll(".header-cc"));
        Assert.Empty(block.FindAll(".header-reply-to"));
        Assert.DoesNotContain(block.FindAll("dt"), dt => dt.TextContent is "Cc" or "Reply-To");
    }

    [Fact]
    public void Render_CcAndReplyTo_ShowsThemLabelled()
    {
        var block = RenderBlock(Headers(cc: "bob@example.com", replyTo: "help@example.com"));

        Assert.Equal("bob@example.com", block.Find(".header-cc").TextContent);
        Assert.Equal("help@example.com", block.Find(".header-reply-to").TextContent);
        Assert.Equal(["From", "To", "Cc", "Reply-To", "Subject", "Date"], block.FindAll("dt").Select(dt => dt.TextContent));
    }

    [Fact]
    public void Render_MarkupInUserText_ShowsItAsText()
    {
        var block = RenderBlock(Headers(to: "\"Tom & Jerry <b>\" <tom@example.com>") with { Subject = "Tom & Jerry <b>" });

        Assert.Equal("Tom & Jerry <b>", block.Find(".header-subject").TextContent);
        Assert.Equal("\"Tom & Jerry <b>\" <tom@example.com>", block.Find(".header-to").TextContent);
        Assert.Empty(block.FindAll("b"));
        Assert.Contains("Tom &amp; Jerry &lt;b&gt;", block.Markup, StringComparison.Ordinal);
    }
}
