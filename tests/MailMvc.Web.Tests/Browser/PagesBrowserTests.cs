using System.Text.RegularExpressions;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using MailMvc.Mail.Outbox;
using MailMvc.Web.Tests.Pages;
using MailMvc.Web.Unsubscribe;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailMvc.Web.Tests.Browser;

/// <summary>
/// Every page of the app, each loaded once and checked at a phone's width (360 px) and a desktop's (1280 px): the
/// page does not scroll sideways, axe-core finds no serious or critical violation, and a full-page screenshot is
/// saved as <c>screenshots/{page}-{width}.png</c>. Problems are collected over the whole tour and reported together.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class PagesBrowserTests : IClassFixture<PagesAppFixture>
{
    private static readonly int[] s_widths = [360, 1280];

    private readonly PagesAppFixture _fixture;
    private readonly List<string> _problems = [];

    public PagesBrowserTests(PagesAppFixture fixture) => _fixture = fixture;

    [Fact]
    public async Task EveryPage_AtPhoneAndDesktopWidth_FitsPassesAxeAndIsScreenshotted()
    {
        var page = await _fixture.NewPageAsync();

        await page.GotoAsync("/");
        await CheckAsync(page, "home");

        await page.GotoAsync("/compose");
        await Expect(page.Locator("nav a[aria-current=page]")).ToHaveTextAsync("Compose");
        await CheckAsync(page, "compose");

        // A failed submit: the error summary takes the focus, and lists the problem.
        await page.GetByLabel("To").FillAsync("not-an-address");
        await page.GetByLabel("Subject").FillAsync("Kept");
        await SendAsync(page);
        await Expect(page.Locator(".error-summary")).ToBeFocusedAsync();
        await Expect(page.Locator(".error-summary a[href='#To']")).ToContainTextAsync("not-an-address");
        await CheckAsync(page, "compose-errors");

        await ComposeAsync(page, "ann@example.com", "Hello from the tour");
        await Expect(page).ToHaveURLAsync(new Regex("/compose/sent$"));
        await CheckAsync(page, "compose-sent");
        var refused = await ComposeAsync(page, PagesAppFixture.RefusedRecipient, "Bounces for good");

        // The welcome page shares the layout's focus handling: after a failed submit the first field in error has it.
        await page.GotoAsync("/welcome");
        await CheckAsync(page, "welcome");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send welcome mail", Exact = true }).ClickAsync();
        await Expect(page.GetByLabel("Name")).ToBeFocusedAsync();

        // Over the limit: the 429 page, in the layout, says when to try again and goes back to the filled-in form.
        await page.GotoAsync("/compose");
        await page.GetByLabel("To").FillAsync("over@example.com");
        await page.GetByLabel("Subject").FillAsync("One too many");
        await page.GetByLabel("Message").FillAsync("Still here after the refusal.");
        await SendAsync(page);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Too many requests" })).ToBeVisibleAsync();
        await Expect(page.Locator(".retry-at")).ToContainTextAsync("UTC");
        await CheckAsync(page, "too-many-requests");
        await page.GetByRole(AriaRole.Link, new() { Name = "Back to your form" }).ClickAsync();
        await Expect(page.GetByLabel("Subject")).ToHaveValueAsync("One too many");
        await Expect(page.GetByLabel("Message")).ToHaveValueAsync("Still here after the refusal.");

        await page.GotoAsync("/dev/mail");
        await Expect(page.Locator("table.deliveries tbody tr")).Not.ToHaveCountAsync(0);
        await CheckAsync(page, "dev-mail");

        await page.GotoAsync("/dev/mail/Welcome/default");
        await Expect(page.FrameLocator("iframe[title='HTML part']").Locator("h1")).ToContainTextAsync("Welcome");
        await AssertFrameFitsItsMailAsync(page);
        await CheckAsync(page, "preview");
        await page.GetByText("Phone", new() { Exact = true }).ClickAsync();
        await AssertFrameFitsItsMailAsync(page);

        await page.GotoAsync("/dev/mail");
        await page.Locator("table.deliveries a").First.ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/dev/mail/deliveries/[0-9a-f-]{36}$"));
        await CheckAsync(page, "delivery");

        var outbox = _fixture.Services.GetRequiredService<IMailOutbox>();
        var failed = await OutboxAppFixture.WaitForMailAsync(outbox, refused, m => m.Status == OutboxStatus.Failed, "failed");
        await page.GotoAsync("/outbox?status=failed");
        await Expect(page.Locator(".outbox-filter a[aria-current=page]")).ToHaveTextAsync("failed");
        var row = page.Locator($"tr[data-id='{failed.Id}']");
        await Expect(row.Locator(".refused-for-good")).ToBeVisibleAsync();
        await Expect(row.Locator("form.outbox-retry")).ToHaveCountAsync(0);
        await page.GotoAsync("/outbox");
        await Expect(page.Locator("table.outbox-budgets tr[data-budget='all mail'] td").Nth(1)).ToHaveTextAsync("200000 a day");
        await CheckAsync(page, "outbox");
        await page.GotoAsync($"/outbox/{failed.Id}");
        await CheckAsync(page, "outbox-mail");

        await page.GotoAsync("/suppressions");
        await page.GetByLabel("Email").FillAsync("tour@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "Suppress", Exact = true }).ClickAsync();
        await Expect(page.Locator("tr[data-address='tour@example.com']")).ToBeVisibleAsync();
        await CheckAsync(page, "suppressions");

        var links = _fixture.Services.GetRequiredService<UnsubscribeLinks>();
        await page.GotoAsync(links.LinkFor("tour@example.org", UnsubscribeLinks.WelcomeList).AbsolutePath);
        await CheckAsync(page, "unsubscribe");
        var invalid = await page.GotoAsync("/unsubscribe/not-a-token");
        Assert.Equal(400, invalid?.Status);
        await CheckAsync(page, "unsubscribe-invalid");

        var missing = await page.GotoAsync("/no-such-page");
        Assert.Equal(404, missing?.Status);
        await CheckAsync(page, "not-found");

        Assert.True(_problems.Count == 0, string.Join("\n", _problems));
    }

    private static async Task<string> ComposeAsync(IPage page, string to, string subject)
    {
        await page.GotoAsync("/compose");
        await page.GetByLabel("To").FillAsync(to);
        await page.GetByLabel("Subject").FillAsync(subject);
        await page.GetByLabel("Message").FillAsync("Sent by the page tour.");
        await SendAsync(page);
        var messageId = await page.Locator(".sent-message-id").TextContentAsync();
        return (messageId ?? "").Trim('<', '>', ' ');
    }

    private static Task SendAsync(IPage page) => page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

    /// <summary>The preview frame is as tall as its mail, so the frame never scrolls inside the page.</summary>
    private static async Task AssertFrameFitsItsMailAsync(IPage page)
    {
        await page.WaitForFunctionAsync("""
            () => {
              const frame = document.querySelector("iframe[data-fit-content]");
              const doc = frame?.contentDocument;
              return !!doc && doc.readyState === "complete" && doc.documentElement.scrollHeight > 200
                && Math.abs(frame.getBoundingClientRect().height - doc.documentElement.scrollHeight) <= 4;
            }
            """, null, new() { Timeout = 5_000 });
    }

    /// <summary>At each width: no sideways scroll, no serious or critical axe violation, a screenshot.</summary>
    private async Task CheckAsync(IPage page, string name)
    {
        foreach (var width in s_widths)
        {
            await page.SetViewportSizeAsync(width, 800);
            var overflow = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, window.innerWidth]");
            if (overflow[0] > overflow[1])
            {
                _problems.Add($"{name} at {width} px: the page is {overflow[0]} px wide, wider than the window ({overflow[1]} px).");
            }

            // The mail inside a preview frame is the template's business (checked on its own), not the page's.
            var axe = await page.RunAxe(new AxeRunOptions { Iframes = false });
            foreach (var violation in axe.Violations.Where(v => v.Impact is "serious" or "critical"))
            {
                _problems.Add($"{name} at {width} px: axe {violation.Impact} {violation.Id}: {violation.Help} at "
                    + string.Join(", ", violation.Nodes.Select(n => n.Target?.ToString())));
            }

            await BrowserAppFixture.ScreenshotAsync(page, $"{name}-{width}");
        }
    }
}
