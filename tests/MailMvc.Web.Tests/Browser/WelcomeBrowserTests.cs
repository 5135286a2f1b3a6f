using System.Text;
using System.Text.RegularExpressions;
using AngleSharp.Html.Parser;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailMvc.Web.Tests.Browser;

/// <summary>The welcome page in Chromium: one welcome mail, and a CSV list sent in the background.</summary>
[Collection(BrowserCollection.Name)]
public sealed class WelcomeBrowserTests : IClassFixture<BrowserAppFixture>
{
    private readonly BrowserAppFixture _fixture;

    public WelcomeBrowserTests(BrowserAppFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task A_welcome_mail_keeps_markup_in_the_name_as_text()
    {
        const string Name = "Tom & Jerry <b>";
        var email = $"tom-{Guid.NewGuid():N}@example.com";

        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/welcome");
        await page.GetByLabel("Name").FillAsync(Name);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send welcome mail", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"Welcome mail sent to {email}");
        await BrowserAppFixture.ScreenshotAsync(page, "welcome-sent");

        var received = Assert.Single(await _fixture.WaitForMessagesAsync(m => m.RcptTos.Contains(email), 1));
        var mime = received.Parse();
        Assert.Contains(Name, mime.Subject, StringComparison.Ordinal);
        Assert.Contains(Name, mime.TextBody, StringComparison.Ordinal);

        Assert.NotNull(mime.HtmlBody);
        Assert.Contains("Tom &amp; Jerry &lt;b&gt;", mime.HtmlBody, StringComparison.Ordinal);
        using var html = new HtmlParser().ParseDocument(mime.HtmlBody);
        Assert.Empty(html.QuerySelectorAll("b"));
        Assert.Contains($"Welcome, {Name}!", html.Body!.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_csv_row_with_locale_de_gets_the_German_welcome_mail()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var german = $"anna@{tag}.example.com";
        var english = $"bob@{tag}.example.com";
        var csv = $"name;email;locale\nAnna Schmidt;{german};de\nBob Smith;{english};\n";

        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/welcome");
        await page.GetByLabel("CSV list").SetInputFilesAsync(new FilePayload
        {
            Name = "people-de.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(csv),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send welcome mails", Exact = true }).ClickAsync();
        await Expect(page.Locator(".bulk-done")).ToBeVisibleAsync(new() { Timeout = 60_000 });

        var received = await _fixture.WaitForMessagesAsync(m => m.RcptTos.Any(r => r.EndsWith($"@{tag}.example.com", StringComparison.Ordinal)), 2);
        var toAnna = received.Single(m => m.RcptTos.Contains(german)).Parse();
        var toBob = received.Single(m => m.RcptTos.Contains(english)).Parse();
        Assert.Equal("Willkommen bei MailMvc, Anna Schmidt", toAnna.Subject);
        Assert.Contains("Willkommen, Anna Schmidt!", toAnna.TextBody, StringComparison.Ordinal);
        Assert.Contains("<html lang=\"de\"", toAnna.HtmlBody, StringComparison.Ordinal);
        Assert.Equal("Welcome to MailMvc, Bob Smith", toBob.Subject);
    }

    [Fact]
    public async Task A_csv_list_shows_progress_then_each_rows_result()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var csv = new StringBuilder("Email,Name\n");
        for (var i = 1; i <= 50; i++)
        {
            var email = i switch
            {
                17 => "not-an-address",
                33 => $"two@@{tag}.example.com",
                _ => $"person{i}@{tag}.example.com",
            };
            csv.Append(email).Append(",Person ").Append(i).Append('\n');
        }

        var page = await _fixture.NewPageAsync();
        await page.GotoAsync("/welcome");
        await page.GetByLabel("CSV list").SetInputFilesAsync(new FilePayload
        {
            Name = "people.csv",
            MimeType = "text/csv",
            Buffer = Encoding.UTF8.GetBytes(csv.ToString()),
        });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send welcome mails", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/welcome/bulk/[A-Za-z0-9_-]{22}$"));
        await Expect(page.Locator("progress")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Welcome mails for people.csv" })).ToBeVisibleAsync();

        await Expect(page.Locator(".bulk-done")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("table.bulk-results tbody tr")).ToHaveCountAsync(50);
        await Expect(page.Locator("tr.result-sent")).ToHaveCountAsync(48);
        await Expect(page.Locator("tr.result-invalid")).ToHaveCountAsync(2);
        await Expect(page.Locator("tr.result-invalid")).ToContainTextAsync(["not-an-address", $"two@@{tag}.example.com"]);
        await Expect(page.Locator("[data-count=sent]")).ToHaveTextAsync("48");
        await Expect(page.Locator("[data-count=invalid]")).ToHaveTextAsync("2");
        await BrowserAppFixture.ScreenshotAsync(page, "welcome-bulk-results");

        var received = await _fixture.WaitForMessagesAsync(m => m.RcptTos.Any(r => r.EndsWith($"@{tag}.example.com", StringComparison.Ordinal)), 48);
        Assert.Equal(48, received.Count);
        Assert.Equal(48, received.SelectMany(m => m.RcptTos).Distinct().Count());
    }
}
