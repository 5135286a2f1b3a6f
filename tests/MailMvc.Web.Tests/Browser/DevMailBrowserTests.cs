using System.Text.RegularExpressions;
using MailMvc.Web.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailMvc.Web.Tests.Browser;

/// <summary>The development mail previews in Chromium.</summary>
[Collection(BrowserCollection.Name)]
public sealed class DevMailBrowserTests : IClassFixture<BrowserAppFixture>
{
    private readonly BrowserAppFixture _fixture;

    public DevMailBrowserTests(BrowserAppFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task The_welcome_preview_shows_headers_and_a_sandboxed_frame()
    {
        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/dev/mail");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Mail previews" })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Welcome: default" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/dev/mail/Welcome/default$"));
        var headers = page.Locator("dl.message-headers");
        await Expect(headers).ToBeVisibleAsync();
        await Expect(headers.Locator(".header-from")).Not.ToBeEmptyAsync();
        await Expect(headers.Locator(".header-to")).Not.ToBeEmptyAsync();
        await Expect(headers.Locator(".header-subject")).ToContainTextAsync("Welcome");

        var frame = page.Locator("iframe[title='HTML part']");
        await Expect(frame).ToBeVisibleAsync();
        await Expect(frame).ToHaveAttributeAsync("sandbox", "allow-same-origin");
        await Expect(page.FrameLocator("iframe[title='HTML part']").Locator("h1")).ToContainTextAsync("Welcome");
        await Expect(page.Locator("pre.preview-text")).ToContainTextAsync("Welcome");
        await BrowserAppFixture.ScreenshotAsync(page, "preview-welcome");
    }

    [Fact]
    public async Task The_locale_switch_shows_the_German_welcome_with_its_subject()
    {
        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/dev/mail/Welcome/default");
        var languages = page.GetByRole(AriaRole.Navigation, new() { Name = "Language" });
        await Expect(languages.GetByRole(AriaRole.Link, new() { Name = "Default" })).ToHaveAttributeAsync("aria-current", "page");

        await languages.GetByRole(AriaRole.Link, new() { Name = "Deutsch (de)" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/dev/mail/Welcome/default\\?locale=de$"));
        await Expect(languages.GetByRole(AriaRole.Link, new() { Name = "Deutsch (de)" })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(page.Locator("dl.message-headers .header-subject")).ToHaveTextAsync("Willkommen bei MailMvc, Ada Lovelace");
        await Expect(page.FrameLocator("iframe[title='HTML part']").Locator("h1")).ToHaveTextAsync("Willkommen, Ada Lovelace!");
        await Expect(page.Locator("pre.preview-text")).ToContainTextAsync("Willkommen, Ada Lovelace!");
        await BrowserAppFixture.ScreenshotAsync(page, "preview-welcome-de");
    }

    [Fact]
    public async Task The_preview_tabs_show_one_part_at_a_time_on_a_390px_phone()
    {
        var page = await _fixture.NewPageAsync();
        await page.SetViewportSizeAsync(390, 844);
        await page.GotoAsync("/dev/mail/Welcome/default");
        var tabs = page.GetByRole(AriaRole.Tablist, new() { Name = "Parts of the mail" });
        await Expect(page.GetByRole(AriaRole.Tabpanel, new() { Name = "HTML" })).ToBeVisibleAsync();
        await Expect(page.Locator("pre.preview-text")).ToBeHiddenAsync();

        await tabs.GetByRole(AriaRole.Tab, new() { Name = "Text" }).ClickAsync();

        await Expect(tabs.GetByRole(AriaRole.Tab, new() { Name = "Text" })).ToHaveAttributeAsync("aria-selected", "true");
        await Expect(page.Locator("pre.preview-text")).ToBeVisibleAsync();
        await Expect(page.Locator("iframe[title='HTML part']")).ToBeHiddenAsync();
        await Expect(page).ToHaveURLAsync(new Regex("#text$"));

        await page.Keyboard.PressAsync("ArrowRight");
        await Expect(tabs.GetByRole(AriaRole.Tab, new() { Name = "Source" })).ToBeFocusedAsync();
        await Expect(page.Locator("pre.preview-source")).ToBeVisibleAsync();
        var sideways = await page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth > document.documentElement.clientWidth");
        Assert.False(sideways, "The preview page scrolls sideways at 390 px.");

        await page.ReloadAsync();
        await Expect(page.Locator("pre.preview-source")).ToBeVisibleAsync();
        await Expect(page.Locator("pre.preview-text")).ToBeHiddenAsync();
    }

    [Fact]
    public async Task The_dark_mode_frames_show_the_prefers_dark_palette_and_the_inverted_one()
    {
        var page = await _fixture.NewPageAsync();
        // No emulation: Playwright's would set prefers-color-scheme for every frame; here each frame's own colour scheme decides.
        await page.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Null });
        await page.GotoAsync("/dev/mail/Welcome/default");
        var light = page.FrameLocator("iframe[title='HTML part']");
        var preferDark = page.FrameLocator("iframe[data-colors='prefers-dark']");
        var inverted = page.FrameLocator("iframe[data-colors='inverted']");

        // Each frame's mail sees the colour scheme its kind of client gives it.
        await Expect(preferDark.Locator("td.email-card")).ToHaveCSSAsync("background-color", DarkCard);
        var prefersDark = await page.EvaluateAsync<bool[]>(
            "() => [...document.querySelectorAll('iframe[data-fit-content]')].map(f => f.contentWindow.matchMedia('(prefers-color-scheme: dark)').matches)");
        Assert.Equal([false, true, false], prefersDark);
        await Expect(light.Locator("td.email-card")).ToHaveCSSAsync("background-color", LightCard);
        await Expect(inverted.Locator("td.email-card")).ToHaveCSSAsync("background-color", LightCard);
        await Expect(inverted.Locator("html")).ToHaveCSSAsync("filter", "invert(1) hue-rotate(180deg)");
        await Expect(inverted.Locator("h1")).ToHaveTextAsync("Welcome, Ada Lovelace!");

        // The same mail opened by a browser emulating prefers-color-scheme: dark looks as the dark frame does.
        var mail = await _fixture.NewPageAsync();
        await mail.EmulateMediaAsync(new() { ColorScheme = ColorScheme.Dark });
        await mail.GotoAsync("/dev/mail/Welcome/default/html");
        await Expect(mail.Locator("td.email-card")).ToHaveCSSAsync("background-color", DarkCard);
        await Expect(mail.Locator("h1")).ToHaveCSSAsync("color", await preferDark.Locator("h1").EvaluateAsync<string>("h => getComputedStyle(h).color"));

        await SaveScreenshotSetAsync(page);
    }

    private const string LightCard = "rgb(255, 255, 255)";
    private const string DarkCard = "rgb(30, 41, 59)";

    /// <summary>The preview page at a desktop's and a phone's width, light (the page and its light frame) and dark (the two
    /// dark-mode frames side by side), into the repository's docs/screenshots/ (the README shows two of them) and beside
    /// the test assembly.</summary>
    private static async Task SaveScreenshotSetAsync(IPage page)
    {
        var folder = Path.Combine(AppPaths.SourceRoot(typeof(Program).Assembly) ?? AppContext.BaseDirectory, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        foreach (var (width, height, device) in new[] { (1280, 900, "desktop"), (390, 844, "phone") })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.GotoAsync("/dev/mail/Welcome/default");
            await page.WaitForFunctionAsync(
                "() => [...document.querySelectorAll('iframe[data-fit-content]')].every(f => f.contentDocument?.readyState === 'complete' && f.getBoundingClientRect().height > 200)");
            var light = $"preview-{device}-light";
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, light + ".png"), FullPage = true });
            await BrowserAppFixture.ScreenshotAsync(page, light);
            var dark = $"preview-{device}-dark";
            var frames = page.Locator(".dark-frames");
            await frames.ScreenshotAsync(new() { Path = Path.Combine(folder, dark + ".png") });
            await frames.ScreenshotAsync(new() { Path = Path.Combine(BrowserAppFixture.ScreenshotDirectory, dark + ".png") });
        }
    }

    [Fact]
    public async Task Send_this_preview_delivers_only_to_allow_listed_addresses_and_shows_the_transcript()
    {
        var stranger = $"stranger-{Guid.NewGuid():N}@example.com";
        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/dev/mail/Welcome/default?locale=de");
        var sendTo = page.GetByLabel("Send to", new() { Exact = true });
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send this preview" });

        await sendTo.FillAsync(stranger);
        await send.ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(
            $"Nothing was sent: {stranger} is not on DevMail:SendPreviewTo ({BrowserAppFixture.PreviewRecipient}, team@example.com)");
        await Expect(page).ToHaveURLAsync(new Regex("/dev/mail/Welcome/default\\?locale=de$"));

        await page.GetByLabel("Send to", new() { Exact = true }).FillAsync(BrowserAppFixture.PreviewRecipient.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Send this preview" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/dev/mail/deliveries/[0-9a-f-]{36}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "[Preview] Willkommen bei MailMvc, Ada Lovelace" })).ToBeVisibleAsync();
        await Expect(page.Locator(".delivery-via")).ToHaveTextAsync("SMTP server");
        await Expect(page.Locator("pre.transcript")).ToContainTextAsync("RCPT TO:<ME@EXAMPLE.COM>");
        await BrowserAppFixture.ScreenshotAsync(page, "preview-sent-to-yourself");

        var received = Assert.Single(await _fixture.WaitForMessagesAsync(
            m => m.RcptTos.Any(r => r.Equals(BrowserAppFixture.PreviewRecipient, StringComparison.OrdinalIgnoreCase))
                && m.Parse().Subject?.StartsWith("[Preview] Willkommen", StringComparison.Ordinal) == true, 1));
        var mime = received.Parse();
        Assert.Equal("true", mime.Headers["X-MailMvc-Preview"]);
        Assert.Equal("[Preview] Willkommen bei MailMvc, Ada Lovelace", mime.Subject);
        // The refused send came first: had it reached the server, it would be there before this one.
        Assert.DoesNotContain(_fixture.Smtp.Messages, m => m.RcptTos.Contains(stranger));
    }
}
