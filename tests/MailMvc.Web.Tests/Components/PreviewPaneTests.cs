using Bunit;
using MailMvc.Web.Components;
using MailMvc.Web.DevMail;

namespace MailMvc.Web.Tests.Components;

public sealed class PreviewPaneTests : BunitContext
{
    private const string HtmlUrl = "/dev/mail/Welcome/default/html";

    private static MailPreview Preview(long sizeBytes = 5_000, IReadOnlyList<string>? problems = null, IReadOnlyList<AttachmentInfo>? attachments = null) =>
        new(
            new MailPreviewCase("Welcome", "default", "A new user", "tom@example.com", (_, _, _) => throw new NotSupportedException()),
            new MessageHeaders("MailMvc <noreply@example.com>", "tom@example.com", null, null, "Welcome", DateTimeOffset.UnixEpoch, "id@example.com"),
            "<p>Hi</p>",
            "Hi",
            "MIME-Version: 1.0",
            sizeBytes,
            attachments ?? [],
            problems ?? [],
            []);

    private IRenderedComponent<PreviewPane> RenderPane(MailPreview preview) =>
        Render<PreviewPane>(p => p
            .Add(c => c.Preview, preview)
            .Add(c => c.HtmlUrl, HtmlUrl)
            .Add(c => c.EmlUrl, "/dev/mail/Welcome/default.eml"));

    [Fact]
    public void Render_Preview_FramesHtmlSandboxedAtTheUrl()
    {
        var pane = RenderPane(Preview());

        var frame = pane.Find("iframe");
        Assert.Equal(HtmlUrl, frame.GetAttribute("src"));
        Assert.True(frame.HasAttribute("sandbox"));
        Assert.Equal("allow-same-origin", frame.GetAttribute("sandbox"));
    }

    [Fact]
    public void Render_Preview_EveryTabControlsAPanelLabelledByIt()
    {
        var pane = RenderPane(Preview());

        var tabs = pane.FindAll("[role=tablist] [role=tab]");
        Assert.Equal(["HTML", "Text", "Source", "Headers", "Checks", "Attachments"], tabs.Select(t => t.TextContent));
        foreach (var tab in tabs)
        {
            var panel = pane.Find($"#{tab.GetAttribute("aria-controls")}");
            Assert.Equal("tabpanel", panel.GetAttribute("role"));
            Assert.Equal(tab.Id, panel.GetAttribute("aria-labelledby"));
        }

        Assert.Equal(["true", "false", "false", "false", "false", "false"], tabs.Select(t => t.GetAttribute("aria-selected")));
    }

    [Fact]
    public void Render_Preview_ShowsHeadersAndEmlLink()
    {
        var pane = RenderPane(Preview());

        Assert.Equal("Welcome", pane.Find(".header-subject").TextContent);
        Assert.Equal("/dev/mail/Welcome/default.eml", pane.Find("a[download]").GetAttribute("href"));
    }

    [Theory]
    [InlineData(102 * 1024 + 1)]
    [InlineData(300_000)]
    public void Render_AboveGmailLimit_WarnsOfClipping(long size)
    {
        var pane = RenderPane(Preview(sizeBytes: size));

        var sizeLine = pane.Find("p.preview-size");
        Assert.Contains("warning", sizeLine.ClassList);
        Assert.Contains("Gmail will clip this message", sizeLine.TextContent, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(102 * 1024)]
    [InlineData(1_000)]
    public void Render_AtOrBelowGmailLimit_NoClippingWarning(long size)
    {
        var pane = RenderPane(Preview(sizeBytes: size));

        var sizeLine = pane.Find("p.preview-size");
        Assert.DoesNotContain("warning", sizeLine.ClassList);
        Assert.DoesNotContain("clip", sizeLine.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Problems_ListsEach()
    {
        var pane = RenderPane(Preview(problems: ["Image without alt text: logo.png", "Link to http://localhost"]));

        pane.Find("ul.preview-problems").MarkupMatches("""
            <ul class="preview-problems">
              <li class="warning">Image without alt text: logo.png</li>
              <li class="warning">Link to http://localhost</li>
            </ul>
            """);
        Assert.Empty(pane.FindAll("p.ok"));
    }

    [Fact]
    public void Render_NoProblems_SaysSo()
    {
        var pane = RenderPane(Preview());

        Assert.Equal("No problems found.", pane.Find("p.ok").TextContent);
        Assert.Empty(pane.FindAll("ul.preview-problems"));
    }

    [Fact]
    public void Render_Attachments_ListsNameTypeAndSize()
    {
        var pane = RenderPane(Preview(attachments: [new AttachmentInfo("invoice.pdf", "application/pdf", 2048), new AttachmentInfo("notes.txt", "text/plain", 12)]));

        Assert.Equal(
            ["invoice.pdf (application/pdf, 2 KB)", "notes.txt (text/plain, 12 bytes)"],
            pane.FindAll("ul.preview-attachments li").Select(li => li.TextContent));
    }
}
