using System.Globalization;
using System.Net;
using System.Text.Json;
using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests;
using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The sending budgets on <c>/outbox</c> and <c>/healthz</c>: what each used today, when it resets, and a day's
/// budget used up, with the mail over it waiting. The app with the outbox on, delivering to a real SMTP test server.</summary>
public sealed class SendBudgetPageTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-budget-page-").FullName;
    private SmtpTestServer? _smtp;
    private MailMvcFactory? _factory;
    private DateTimeOffset _midnight;

    public async Task InitializeAsync()
    {
        _midnight = await UtcDay.StartWellBeforeMidnightAsync();
        _smtp = await SmtpTestServer.StartAsync();
        _factory = new MailMvcFactory("Development", OutboxAppFixture.Settings(_smtp.Port, _directory, new Dictionary<string, string?>
        {
            ["Mail:RateLimit:PerDay"] = "2",
            ["Mail:RateLimit:PerSecond"] = "50",
            ["Mail:DailyLimit"] = "40",
        }));
        var mailer = _factory.Services.GetRequiredService<IMailer>();
        var outbox = _factory.Services.GetRequiredService<IMailOutbox>();
        for (var i = 1; i <= 3; i++)
        {
            await mailer.SendAsync(new Message($"Budget {i}", [$"user{i}@example.com"], body: "Hi") { Sender = new EmailAddress("app@example.com") });
        }

        // Two go, the third waits for tomorrow.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await outbox.GetCountsAsync()).Sent < 2 || (await outbox.ListAsync(OutboxStatus.Queued, 10)).All(m => m.LastReply is null))
        {
            Assert.True(DateTime.UtcNow < deadline, $"Two mails were not sent and one deferred within 15 s: {await outbox.GetCountsAsync()}");
            await Task.Delay(50);
        }
    }

    [Fact]
    public async Task OutboxPage_DayBudgetOfTwoUsedUp_ShowsTwoOfTwoUsedAndWhenItResetsBesideTheBrake()
    {
        var midnight = _midnight;

        var page = await _factory!.CreateClient().GetPageAsync("/outbox");

        var server = page.QuerySelector($"table.outbox-budgets tr[data-budget='127.0.0.1:{_smtp!.Port}']");
        Assert.NotNull(server);
        var cells = server.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Contains("Mail:RateLimit", cells[0], StringComparison.Ordinal);
        Assert.Equal("50 a second, 2 a day", cells[1]);
        Assert.Equal("2 of 2", cells[2]);
        Assert.Equal(midnight, DateTimeOffset.Parse(server.QuerySelector("time")!.GetAttribute("datetime")!, CultureInfo.InvariantCulture));
        Assert.Equal($"used up: mail waits until {midnight:yyyy-MM-dd} 00:00:00 UTC", cells[4]);
        var brake = page.QuerySelector("table.outbox-budgets tr[data-budget='all mail']");
        Assert.NotNull(brake);
        Assert.Equal(["All mail (the daily brake) Mail:DailyLimit", "40 a day", "2 of 40", "has room"],
            brake.QuerySelectorAll("td").Select(td => string.Join(' ', td.TextContent.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))).Where((_, i) => i != 3));
        var waiting = Assert.Single(page.QuerySelectorAll("table.outbox-mails tr.outbox-queued"));
        Assert.Contains($"the budget resets at {midnight:yyyy-MM-dd} 00:00 UTC", waiting.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_DayBudgetUsedUp_DegradedWithWhatEachBudgetUsedTodayAndNoServerNamed()
    {
        using var response = await _factory!.CreateBrowser().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var health = JsonDocument.Parse(body);
        var budgets = health.RootElement.GetProperty("checks").GetProperty("budgets");
        Assert.Equal("Degraded", budgets.GetProperty("status").GetString());
        Assert.Contains("Mail:RateLimit is used up until", budgets.GetProperty("description").GetString(), StringComparison.Ordinal);
        var reported = budgets.GetProperty("data").GetProperty("budgets").EnumerateArray()
            .Select(b => (b.GetProperty("setting").GetString(), b.GetProperty("usedToday").GetInt64(), b.GetProperty("resetsAt").GetDateTimeOffset()))
            .ToList();
        var midnight = _midnight;
        Assert.Equal([("Mail:RateLimit", 2L, midnight), ("Mail:DailyLimit", 2L, midnight)], reported);
        Assert.DoesNotContain(_smtp!.Port.ToString(CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BulkListPage_DayBudgetOfTwoUsedUpAndFourRowsQueued_SaysTheMailsGoByTheDayAfterTomorrow()
    {
        var client = _factory!.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var upload = await client.PostListAsync("four.csv", "name,email\nA,a@example.com\nB,b@example.com\nC,c@example.com\nD,d@example.com\n");
        Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
        var jobUrl = upload.Headers.Location!.OriginalString;
        await client.WaitForJobAsync(jobUrl);

        var page = await client.GetPageAsync(jobUrl);

        // Five wait (the mail from before and the list's four), none may go today, two a day: two tomorrow, two the day
        // after, the last one the day after that, 1/50 s after midnight.
        var midnight = _midnight;
        var finish = page.QuerySelector(".bulk-budget-finish");
        Assert.NotNull(finish);
        Assert.Contains("The sending budget (50 a second, 2 a day (0 left today)) sets the pace", finish.TextContent, StringComparison.Ordinal);
        Assert.Equal(midnight.AddDays(2).AddMilliseconds(20),
            DateTimeOffset.Parse(finish.QuerySelector("time")!.GetAttribute("datetime")!, CultureInfo.InvariantCulture));
        var status = await client.GetStatusAsync(jobUrl);
        Assert.Equal(midnight.AddDays(2).AddMilliseconds(20), status.GetProperty("budgetFinish").GetProperty("at").GetDateTimeOffset());
    }

    public async Task DisposeAsync()
    {
        if (_factory is not null)
        {
            await _factory.DisposeAsync();
        }

        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }
}
