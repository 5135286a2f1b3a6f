using System.Globalization;
using System.Text.RegularExpressions;
using MailMvc.Mail.Outbox;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace MailMvc.Web.Tests.Browser;

/// <summary>
/// "Send at" in a real Chromium whose clock is in Tokyo: the compose and welcome pages show the person's time zone,
/// the time typed is read in it, the outbox keeps the mail until then, and the outbox page lists it and cancels it.
/// </summary>
[Collection(BrowserCollection.Name)]
public sealed class ScheduledSendingBrowserTests : IClassFixture<PagesAppFixture>
{
    private const string Zone = "Asia/Tokyo";
    private static readonly TimeZoneInfo s_tokyo = TimeZoneInfo.FindSystemTimeZoneById(Zone);

    private readonly PagesAppFixture _fixture;

    public ScheduledSendingBrowserTests(PagesAppFixture fixture) => _fixture = fixture;

    private IMailOutbox Outbox => _fixture.Services.GetRequiredService<IMailOutbox>();

    [Fact]
    public async Task Compose_SendAtTwoHoursAheadInTokyo_ScheduledForThatInstantListedAndCancelledFromTheOutboxPage()
    {
        var page = await _fixture.NewPageAsync(Zone);
        var (typed, expected) = TwoHoursAhead();

        await page.GotoAsync("/compose");
        await Expect(page.Locator(".send-at [data-time-zone-name]")).ToHaveTextAsync(Zone);
        await page.GetByLabel("To").FillAsync("later@example.com");
        await page.GetByLabel("Subject").FillAsync("See you later");
        await page.GetByLabel("Message").FillAsync("Scheduled from Tokyo.");
        await page.GetByLabel("Send at (optional)").FillAsync(typed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Scheduled" })).ToBeVisibleAsync();
        await Expect(page.Locator(".scheduled-for")).ToHaveTextAsync(
            string.Create(CultureInfo.InvariantCulture, $"{TimeZoneInfo.ConvertTime(expected, s_tokyo):ddd d MMM yyyy, HH:mm} ({Zone})"));
        var messageId = ((await page.Locator(".sent-message-id").TextContentAsync()) ?? "").Trim('<', '>', ' ');
        var stored = Assert.Single(await Outbox.ListScheduledAsync(100), m => m.MessageId == messageId);
        Assert.Equal(expected, stored.NotBefore);

        await page.GotoAsync("/outbox");
        var row = page.Locator($"table.outbox-scheduled tr[data-message-id='{messageId}']");
        await Expect(row).ToContainTextAsync(stored.NotBefore!.Value.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        await row.GetByRole(AriaRole.Button, new() { Name = $"Cancel mail {stored.Id}" }).ClickAsync();

        await Expect(page.Locator("p.success")).ToHaveTextAsync($"Mail {stored.Id} is cancelled: it will not be sent.");
        await Expect(page.Locator($"table.outbox-scheduled tr[data-message-id='{messageId}']")).ToHaveCountAsync(0);
        Assert.Equal(OutboxStatus.Cancelled, (await Outbox.GetAsync(stored.Id))?.Status);
        Assert.DoesNotContain(_fixture.Smtp.Messages, m => m.MessageId == messageId);
    }

    [Fact]
    public async Task Compose_SendAtInThePast_SaysChooseATimeInTheFutureAndKeepsTheForm()
    {
        var page = await _fixture.NewPageAsync(Zone);
        var past = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow.AddHours(-1), s_tokyo).DateTime;

        await page.GotoAsync("/compose");
        await page.GetByLabel("To").FillAsync("past@example.com");
        await page.GetByLabel("Subject").FillAsync("Too late");
        await page.GetByLabel("Message").FillAsync("Kept.");
        await page.GetByLabel("Send at (optional)").FillAsync(past.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true }).ClickAsync();

        await Expect(page.Locator(".error-summary")).ToBeFocusedAsync();
        await Expect(page.Locator("span.field-error[data-valmsg-for='SendAt']")).ToContainTextAsync("Choose a time in the future");
        await Expect(page.Locator("span.field-error[data-valmsg-for='SendAt']")).ToContainTextAsync($"({Zone}) now");
        await Expect(page.GetByLabel("Subject")).ToHaveValueAsync("Too late");
        await Expect(page.Locator(".send-at [data-time-zone-name]")).ToHaveTextAsync(Zone);
    }

    [Fact]
    public async Task Welcome_SendAtTwoHoursAheadInTokyo_SaysWhenInTokyoTimeAndTheOutboxKeepsIt()
    {
        var page = await _fixture.NewPageAsync(Zone);
        var (typed, expected) = TwoHoursAhead();

        await page.GotoAsync("/welcome");
        await Expect(page.Locator("form[action='/welcome'] .send-at [data-time-zone-name]")).ToHaveTextAsync(Zone);
        await page.GetByLabel("Name").FillAsync("Hana");
        await page.GetByLabel("Email").FillAsync("hana@example.com");
        await page.Locator("form[action='/welcome']").GetByLabel("Send at (optional)").FillAsync(typed);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send welcome mail", Exact = true }).ClickAsync();

        await Expect(page.Locator("p.success")).ToContainTextAsync(new Regex($@"Welcome mail to hana@example.com scheduled for .* \({Regex.Escape(Zone)}\)"));
        var stored = Assert.Single(await Outbox.ListScheduledAsync(100), m => m.Recipients == "hana@example.com");
        Assert.Equal(expected, stored.NotBefore);
    }

    [Fact]
    public async Task WelcomeList_SendAtTwoHoursAheadInTokyo_EveryRowWaitsInTheOutboxForThatInstantAndThePageSaysWhen()
    {
        var page = await _fixture.NewPageAsync(Zone);
        var (typed, expected) = TwoHoursAhead();
        var list = "name,email\nAiko,aiko@example.com\nKenji,kenji@example.com\nYui,yui@example.com\n"u8.ToArray();

        await page.GotoAsync("/welcome");
        var form = page.Locator("form[action='/welcome/bulk']");
        await Expect(form.Locator(".send-at [data-time-zone-name]")).ToHaveTextAsync(Zone);
        await form.GetByLabel("CSV list").SetInputFilesAsync(new FilePayload { Name = "tokyo.csv", MimeType = "text/csv", Buffer = list });
        await form.GetByLabel("Send at (optional)").FillAsync(typed);
        await form.GetByRole(AriaRole.Button, new() { Name = "Send welcome mails", Exact = true }).ClickAsync();

        await Expect(page.Locator(".bulk-headline.bulk-done")).ToContainTextAsync("every row is queued (3)");
        await Expect(page.Locator(".bulk-send-at")).ToHaveTextAsync(
            string.Create(CultureInfo.InvariantCulture, $"{TimeZoneInfo.ConvertTime(expected, s_tokyo):ddd d MMM yyyy, HH:mm} ({Zone})"));
        var scheduled = (await Outbox.ListScheduledAsync(100)).Where(m => m.MessageId.StartsWith("bulk.", StringComparison.Ordinal)).ToList();
        Assert.Equal(["aiko@example.com", "kenji@example.com", "yui@example.com"], scheduled.Select(m => m.Recipients).Order());
        Assert.All(scheduled, m => Assert.Equal(expected, m.NotBefore));
        Assert.DoesNotContain(_fixture.Smtp.Messages, m => m.RcptTos.Contains("aiko@example.com"));
    }

    /// <summary>Two hours from now to the minute: as typed in Tokyo's wall-clock time, and the instant it means.</summary>
    private static (string Typed, DateTimeOffset Instant) TwoHoursAhead()
    {
        var now = DateTimeOffset.UtcNow.AddHours(2);
        var instant = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, TimeSpan.Zero);
        var local = TimeZoneInfo.ConvertTime(instant, s_tokyo);
        return (local.ToString("yyyy-MM-ddTHH:mm", CultureInfo.InvariantCulture), instant);
    }
}
