using System.Text.RegularExpressions;
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
}
