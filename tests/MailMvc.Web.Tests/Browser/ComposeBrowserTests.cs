using System.Text;
using Microsoft.Playwright;
using MimeKit;
using static Microsoft.Playwright.Assertions;

namespace MailMvc.Web.Tests.Browser;

/// <summary>The compose page in Chromium, sending through a real SMTP server.</summary>
[Collection(BrowserCollection.Name)]
public sealed class ComposeBrowserTests : IClassFixture<BrowserAppFixture>, IDisposable
{
    private readonly BrowserAppFixture _fixture;
    private readonly string _folder = Directory.CreateTempSubdirectory("mailmvc-attach-").FullName;

    public ComposeBrowserTests(BrowserAppFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task Sending_to_two_addresses_with_two_attachments_delivers_one_message()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var to = new[] { $"alice-{tag}@example.com", $"bob-{tag}@example.org" };
        var subject = $"Quarterly report {tag}";
        var plain = Path.Combine(_folder, "report.txt");
        var unicode = Path.Combine(_folder, "Grüße ✓.txt");
        await File.WriteAllTextAsync(plain, "plain attachment");
        await File.WriteAllTextAsync(unicode, "Grüße aus Köln ✓", new UTF8Encoding(false));

        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/compose");
        await page.GetByLabel("To").FillAsync(string.Join(", ", to));
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("Message").FillAsync("Hello both,\nthe report is attached.\n");
        await page.GetByLabel("Attachments").SetInputFilesAsync([plain, unicode]);
        await BrowserAppFixture.ScreenshotAsync(page, "compose-form");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/compose/sent$"));
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("sent");
        await Expect(page.Locator(".sent-recipients")).ToContainTextAsync(to[0]);
        await Expect(page.Locator(".sent-recipients")).ToContainTextAsync(to[1]);
        await Expect(page.Locator(".sent-message-id")).ToContainTextAsync("@");
        await BrowserAppFixture.ScreenshotAsync(page, "compose-sent");

        var messages = await _fixture.WaitForMessagesAsync(m => m.RcptTos.Any(r => r.Contains(tag, StringComparison.Ordinal)), 1);
        var received = Assert.Single(messages);
        Assert.Equal(to.Order(), received.RcptTos.Order());
        var mime = received.Parse();
        Assert.Equal(subject, mime.Subject);
        var attachments = mime.Attachments.OfType<MimePart>().ToList();
        Assert.Equal(new[] { "report.txt", "Grüße ✓.txt" }.Order(StringComparer.Ordinal), attachments.Select(a => a.FileName).Order(StringComparer.Ordinal));
        var decoded = attachments.Single(a => a.FileName == "Grüße ✓.txt");
        using var content = new MemoryStream();
        await decoded.Content!.DecodeToAsync(content);
        Assert.Equal("Grüße aus Köln ✓", Encoding.UTF8.GetString(content.ToArray()));
        Assert.Contains("the report is attached.", mime.TextBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ComposeMarkdown_HeadingListLinkAndTypedScript_PreviewThenSendDeliversRenderedHtmlInertScriptAndMarkdownText()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var markdown = $"# Plans {tag}\n\n- lunch at noon\n- a walk\n\nThe menu: [our menu](https://example.com/menu)\n\n<script>alert('hi')</script>\n";

        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/compose");
        await Expect(page.GetByLabel("Write in Markdown")).Not.ToBeCheckedAsync();
        await page.GetByLabel("To").FillAsync($"sam-{tag}@example.com");
        await page.GetByLabel("Subject").FillAsync($"Friday {tag}");
        await page.GetByLabel("Message").FillAsync(markdown);
        await page.GetByLabel("Write in Markdown").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Preview" }).ClickAsync();

        // The preview frame shows the mail before anything is sent; the page stays as typed.
        var preview = page.FrameLocator("iframe[name=compose-preview]");
        await Expect(preview.Locator("h1")).ToHaveTextAsync($"Plans {tag}");
        await Expect(preview.Locator("li")).ToHaveCountAsync(2);
        await Expect(preview.Locator("body")).ToContainTextAsync("<script>alert('hi')</script>");
        await Expect(page.GetByLabel("Message")).ToHaveValueAsync(markdown);
        Assert.DoesNotContain(_fixture.Smtp.Messages, m => m.RcptTos.Any(r => r.Contains(tag, StringComparison.Ordinal)));
        await BrowserAppFixture.ScreenshotAsync(page, "compose-markdown-preview");

        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/compose/sent$"));

        var received = Assert.Single(await _fixture.WaitForMessagesAsync(m => m.RcptTos.Any(r => r.Contains(tag, StringComparison.Ordinal)), 1));
        var mime = received.Parse();
        var html = new AngleSharp.Html.Parser.HtmlParser().ParseDocument(mime.HtmlBody ?? "");
        Assert.Equal($"Plans {tag}", html.QuerySelector("h1")?.TextContent);
        Assert.Equal(["lunch at noon", "a walk"], html.QuerySelectorAll("ul > li").Select(li => li.TextContent));
        Assert.Equal("https://example.com/menu", html.QuerySelector("a[href='https://example.com/menu']")?.GetAttribute("href"));
        Assert.Empty(html.QuerySelectorAll("script"));
        Assert.Contains("<script>alert('hi')</script>", html.Body!.TextContent, StringComparison.Ordinal);
        Assert.Equal(markdown.ReplaceLineEndings("\n").Trim(), (mime.TextBody ?? "").ReplaceLineEndings("\n").Trim());
    }

    [Fact]
    public async Task An_invalid_address_shows_the_error_beside_To_keeps_the_text_and_sends_nothing()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var subject = $"Not sent {tag} – äöü";
        var body = $"Line one {tag}\nLine two with <angle> & ampersand";
        var before = _fixture.Smtp.Messages.Count;

        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/compose");
        await page.GetByLabel("To").FillAsync("not-an-address");
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("Message").FillAsync(body);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();

        var toError = page.Locator(".field").Filter(new() { Has = page.GetByLabel("To") }).Locator(".field-error");
        await Expect(toError).ToBeVisibleAsync();
        await Expect(toError).ToContainTextAsync("not-an-address");
        await Expect(page.GetByLabel("To")).ToHaveValueAsync("not-an-address");
        await Expect(page.GetByLabel("Subject")).ToHaveValueAsync(subject);
        await Expect(page.GetByLabel("Message")).ToHaveValueAsync(body);
        await BrowserAppFixture.ScreenshotAsync(page, "compose-invalid");

        Assert.Equal(before, _fixture.Smtp.Messages.Count);
        Assert.DoesNotContain(_fixture.Smtp.Messages, m => m.Data.Contains(tag, StringComparison.Ordinal));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // Not worth failing a test over.
        }
    }
}
