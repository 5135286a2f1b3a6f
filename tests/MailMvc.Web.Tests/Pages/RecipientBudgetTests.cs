using System.Net;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using MailMvc.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The sending limits count recipients: a composed mail its addresses, a list its rows.</summary>
public sealed class RecipientBudgetTests
{
    private static MailMvcFactory Factory(int perMinute, int perDay = 1000) => new("Development", new Dictionary<string, string?>
    {
        ["RateLimits:Sending:RecipientsPerMinute"] = perMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["RateLimits:Sending:RecipientsPerDay"] = perDay.ToString(System.Globalization.CultureInfo.InvariantCulture),
    });

    private static Task<HttpResponseMessage> ComposeAsync(HttpClient client, string to) => client.PostComposeAsync(new Dictionary<string, string>
    {
        ["To"] = to,
        ["Subject"] = "Budget",
        ["Message"] = "Counting recipients",
    });

    [Fact]
    public async Task PostCompose_MoreRecipientsThanLeftThisMinute_429WithTheFormKeptAndWhenToTryAgain()
    {
        await using var factory = Factory(perMinute: 3);
        var client = factory.CreateBrowser();
        using var outbox = factory.Services.GetRequiredService<IMailer>().RecordMessages();

        using var first = await ComposeAsync(client, "ann@example.com, bob@example.com");
        using var second = await ComposeAsync(client, "carl@example.com, dora@example.com");

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var page = await second.ReadPageAsync();
        var alert = page.QuerySelector("form .form-error")?.TextContent ?? "";
        Assert.Contains("may send to 3 a minute", alert, StringComparison.Ordinal);
        Assert.Matches(@"You can send again at \d\d:\d\d:\d\d UTC \(in \d+ seconds\)", alert);
        Assert.Equal("carl@example.com, dora@example.com", page.QuerySelector<IHtmlInputElement>("input[name='To']")?.Value);
        Assert.Equal("Counting recipients", page.QuerySelector<IHtmlTextAreaElement>("textarea[name='Message']")?.Value);
        Assert.Single(outbox.Messages);
    }

    [Fact]
    public async Task PostCompose_DailyBudgetSpent_RefusedUntilTheDayIsOver()
    {
        await using var factory = Factory(perMinute: 2, perDay: 2);
        var client = factory.CreateBrowser();

        using var first = await ComposeAsync(client, "ann@example.com, bob@example.com");
        using var second = await ComposeAsync(client, "carl@example.com");

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("may send to 2 a day", (await second.ReadPageAsync()).QuerySelector("form .form-error")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostBulk_ListLongerThanTheBudget_RefusedBeforeAnythingIsSent()
    {
        await using var factory = Factory(perMinute: 5);
        var client = factory.CreateBrowser();
        using var outbox = factory.Services.GetRequiredService<IMailer>().RecordMessages();
        var csv = "name,email\n" + string.Concat(Enumerable.Range(1, 6).Select(i => $"Person {i},person{i}@example.com\n"));

        using var response = await client.PostListAsync("people.csv", csv);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        var error = (await response.ReadPageAsync()).ErrorBeside("Bulk.List");
        Assert.Contains("Too many recipients at once: your address may send to 5 a minute", error, StringComparison.Ordinal);
        Assert.Contains("Nothing from this list was sent.", error, StringComparison.Ordinal);
        Assert.Empty(outbox.Messages);
    }

    [Fact]
    public async Task PostBulk_ListWithinTheBudgetThenOneMore_TheSecondListIsRefused()
    {
        await using var factory = Factory(perMinute: 5);
        var client = factory.CreateBrowser();
        static string People(int from) => "name,email\n" + string.Concat(Enumerable.Range(from, 4).Select(i => $"Person {i},person{i}@example.com\n"));

        // Another list: the same list again would only be offered for sending again, skipping what the first sent.
        using var first = await client.PostListAsync("people.csv", People(1));
        using var second = await client.PostListAsync("more-people.csv", People(5));

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Contains("You can send again at", (await second.ReadPageAsync()).ErrorBeside("Bulk.List"), StringComparison.Ordinal);
    }
}
