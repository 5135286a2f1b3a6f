using System.Text;
using System.Text.RegularExpressions;
using MailMvc.Mail.Suppression;
using MailMvc.Mail.Tests.Dkim;
using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailMvc.Web.Tests.Browser;

/// <summary>
/// One-click unsubscribe from end to end: a welcome list's mail arrives at the real SMTP server signed (dkimpy verifies,
/// the unsubscribe headers among the signed ones); the POST a mail client sends to its link (a fresh context: no
/// cookies, no antiforgery token) unsubscribes; the next list skips the address and its row says so; removing it on
/// the suppressions page lets the next list through. A changed token and a GET alone suppress nothing.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class UnsubscribeBrowserTests : IClassFixture<UnsubscribeAppFixture>
{
    private readonly UnsubscribeAppFixture _fixture;

    public UnsubscribeBrowserTests(UnsubscribeAppFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task OneClickPost_AsAMailClientSendsIt_200ThenTheNextListSkipsTheAddressUntilItIsRemovedOnTheAdminPage()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var ada = $"ada-{tag}@example.org";
        var page = await _fixture.NewPageAsync();

        await SendListAsync(page, $"first-{tag}.csv", ada, $"bob-{tag}@example.org");
        var mail = Assert.Single(await _fixture.WaitForMessagesAsync(m => m.RcptTos.Contains(ada), 1));
        var mime = mail.Parse();
        var link = UnsubscribeLink(mail).AbsoluteUri;
        Assert.Equal("List-Unsubscribe=One-Click", mime.Headers["List-Unsubscribe-Post"]);
        Assert.Equal("pass", await DkimVerifier.VerifyAsync(mail.Data, _fixture.DkimPublicKey));
        var signed = Regex.Replace(Regex.Match(mime.Headers["DKIM-Signature"] ?? "", @"h=([^;]+)").Groups[1].Value, @"\s", "").ToLowerInvariant().Split(':');
        Assert.Contains("list-unsubscribe", signed);
        Assert.Contains("list-unsubscribe-post", signed);
        Assert.Contains(link, mime.HtmlBody, StringComparison.Ordinal);
        Assert.Contains(link, mime.TextBody, StringComparison.Ordinal);

        var mailClient = (await _fixture.NewPageAsync()).Context;
        var response = await mailClient.APIRequest.PostAsync(_fixture.BaseUrl + new Uri(link).AbsolutePath, new()
        {
            Form = mailClient.APIRequest.CreateFormData().Set("List-Unsubscribe", "One-Click"),
            MaxRedirects = 0,
        });
        Assert.Equal(200, response.Status);
        Assert.Empty(await mailClient.CookiesAsync());

        await SendListAsync(page, $"second-{tag}.csv", ada, $"carol-{tag}@example.org");
        var skipped = page.Locator("tr.result-suppressed");
        await Expect(skipped).ToHaveCountAsync(1);
        await Expect(skipped).ToContainTextAsync(new Regex($@"{Regex.Escape(ada)}.*Not sent: {Regex.Escape(ada)} unsubscribed on \d{{4}}-\d\d-\d\d \d\d:\d\d UTC"));
        await Expect(page.Locator("[data-count=suppressed]")).ToHaveTextAsync("1");
        await Expect(page.Locator(".bulk-done")).ToContainTextAsync("1 sent; 1 not sent, their addresses are on the suppression list");
        await BrowserAppFixture.ScreenshotAsync(page, "welcome-list-suppressed");
        Assert.Single(_fixture.Smtp.Messages, m => m.RcptTos.Contains(ada));

        await page.GotoAsync("/suppressions?q=" + Uri.EscapeDataString(ada));
        var row = page.Locator($"tr[data-address='{ada}']");
        await Expect(row).ToContainTextAsync("Unsubscribed");
        await Expect(row).ToContainTextAsync("welcome");
        await row.GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"{ada} is off the list");

        await SendListAsync(page, $"third-{tag}.csv", ada, $"dan-{tag}@example.org");
        await Expect(page.Locator("tr.result-sent")).ToHaveCountAsync(2);
        Assert.Equal(2, (await _fixture.WaitForMessagesAsync(m => m.RcptTos.Contains(ada), 2)).Count);
    }

    [Fact]
    public async Task OneClickPost_TamperedToken_400WithAClearPageAndNothingSuppressed()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var eve = $"eve-{tag}@example.org";
        var page = await _fixture.NewPageAsync();
        await SendListAsync(page, $"tamper-{tag}.csv", eve);
        var link = UnsubscribeLink(Assert.Single(await _fixture.WaitForMessagesAsync(m => m.RcptTos.Contains(eve), 1)));
        var token = link.AbsolutePath["/unsubscribe/".Length..];
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        // Another address in the token, the signature kept: what someone unsubscribing a stranger would try.
        var tampered = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"1\nwelcome\nvictim-{tag}@example.org")) + token[dot..];

        var mailClient = (await _fixture.NewPageAsync()).Context;
        var response = await mailClient.APIRequest.PostAsync(_fixture.BaseUrl + "/unsubscribe/" + tampered, new()
        {
            Form = mailClient.APIRequest.CreateFormData().Set("List-Unsubscribe", "One-Click"),
            MaxRedirects = 0,
        });
        var opened = await page.GotoAsync("/unsubscribe/" + tampered);

        Assert.Equal(400, response.Status);
        Assert.Contains("This unsubscribe link is not valid", await response.TextAsync(), StringComparison.Ordinal);
        Assert.Equal(400, opened?.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "This unsubscribe link is not valid" })).ToBeVisibleAsync();
        Assert.Empty(await List.FindAsync([eve, $"victim-{tag}@example.org"]));
    }

    [Fact]
    public async Task OpeningTheLink_AsAMailScannerDoes_SuppressesNothingUntilThePersonPressesTheButton()
    {
        var tag = Guid.NewGuid().ToString("N")[..8];
        var fay = $"fay-{tag}@example.org";
        var page = await _fixture.NewPageAsync();
        await SendListAsync(page, $"scanner-{tag}.csv", fay);
        var link = UnsubscribeLink(Assert.Single(await _fixture.WaitForMessagesAsync(m => m.RcptTos.Contains(fay), 1)));

        var opened = await page.GotoAsync(_fixture.BaseUrl + link.AbsolutePath);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" })).ToBeVisibleAsync();
        var afterOpening = await List.FindAsync([fay]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Unsubscribe" }).ClickAsync();

        Assert.Equal(200, opened?.Status);
        Assert.Empty(afterOpening);
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync($"No more mail from MailMvc goes to {fay}");
        Assert.Equal(SuppressionReason.Unsubscribed, Assert.Single(await List.FindAsync([fay])).Reason);
    }

    private ISuppressionList List => _fixture.Services.GetRequiredService<ISuppressionList>();

    /// <summary>The https link of the mail's <c>List-Unsubscribe</c> header.</summary>
    private static Uri UnsubscribeLink(ReceivedMessage mail)
    {
        var header = mail.Parse().Headers["List-Unsubscribe"] ?? "";
        var match = Regex.Match(header, "<(https?://[^>]+)>");
        Assert.True(match.Success, $"No link in List-Unsubscribe: '{header}'.");
        return new Uri(match.Groups[1].Value);
    }

    /// <summary>Uploads a list of <paramref name="addresses"/> on the welcome page and waits until every row has its result.</summary>
    private static async Task SendListAsync(IPage page, string fileName, params string[] addresses)
    {
        var csv = new StringBuilder("name,email\n");
        foreach (var address in addresses)
        {
            csv.Append("Person,").Append(address).Append('\n');
        }

        await page.GotoAsync("/welcome");
        await page.GetByLabel("CSV list").SetInputFilesAsync(new FilePayload { Name = fileName, MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv.ToString()) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Send welcome mails", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/welcome/bulk/[A-Za-z0-9_-]{22}$"));
        await Expect(page.Locator(".bulk-done")).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(page.Locator("table.bulk-results tbody tr")).ToHaveCountAsync(addresses.Length);
    }
}
