using System.Net;
using System.Text.Json;
using AngleSharp.Html.Dom;
using MailMvc.Mail.Outbox;

namespace MailMvc.Web.Tests.Pages;

/// <summary>The pages with the outbox on: they say "queued", the outbox page lists and retries, /healthz reports.</summary>
public sealed class OutboxPageTests(OutboxAppFixture app) : IClassFixture<OutboxAppFixture>
{
    [Fact]
    public async Task PostCompose_OutboxOn_SaysQueuedAndTheMailIsInTheOutbox()
    {
        var client = app.Factory.CreateClient();

        var page = await ComposeAsync(client, "ann@example.com", "Queued, not sent");

        Assert.Equal("Queued", page.QuerySelector("h1")?.TextContent.Trim());
        var status = page.QuerySelector("[role=status]")?.TextContent ?? "";
        Assert.Contains("queued for delivery", status, StringComparison.Ordinal);
        Assert.DoesNotContain("was sent", status, StringComparison.Ordinal);
        Assert.Equal("/outbox", page.QuerySelector("a.outbox-link")?.GetAttribute("href"));
        var mail = await app.WaitForMailAsync(MessageIdOn(page), _ => true, "stored");
        Assert.Equal("Queued, not sent", mail.Subject);
        Assert.Equal("ann@example.com", mail.Recipients);
    }

    [Fact]
    public async Task OutboxPage_OutboxOn_ListsTheMailWithEverythingItTypedEncoded()
    {
        var client = app.Factory.CreateClient();
        var subject = "<script>alert('x')</script> Tom & Jerry";
        var messageId = MessageIdOn(await ComposeAsync(client, "bob@example.com", subject));
        await app.WaitForMailAsync(messageId, m => m.Status == OutboxStatus.Sent, "sent");

        using var response = await client.GetAsync("/outbox");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        var page = await response.ReadPageAsync();
        var row = page.QuerySelector($"table.outbox-mails tr[data-message-id='{messageId}']");
        Assert.NotNull(row);
        var cells = row.QuerySelectorAll("td").Select(td => td.TextContent.Trim()).ToList();
        Assert.Equal(subject, cells[2]);
        Assert.Equal("bob@example.com", cells[3]);
        Assert.Equal("sent", cells[4]);
        Assert.Equal("1", cells[5]);
        Assert.Contains("OK: queued", cells[7], StringComparison.Ordinal); // the test server's reply to the DATA
        foreach (var state in new[] { "queued", "sending", "sent", "failed" })
        {
            Assert.NotNull(page.QuerySelector($"ul.outbox-counts [data-count='{state}']"));
        }

        Assert.True(long.Parse(page.QuerySelector("[data-count='sent']")!.TextContent, System.Globalization.CultureInfo.InvariantCulture) >= 1);
    }

    [Fact]
    public async Task OutboxPage_FilteredByState_ListsOnlyThatState()
    {
        var client = app.Factory.CreateClient();
        var messageId = MessageIdOn(await ComposeAsync(client, "cat@example.com", "Filtered"));
        await app.WaitForMailAsync(messageId, m => m.Status == OutboxStatus.Sent, "sent");

        var failed = await client.GetPageAsync("/outbox?status=failed");
        var sent = await client.GetPageAsync("/outbox?status=sent");

        Assert.Null(failed.QuerySelector($"tr[data-message-id='{messageId}']"));
        Assert.NotNull(sent.QuerySelector($"tr[data-message-id='{messageId}']"));
        Assert.All(sent.QuerySelectorAll("table.outbox-mails tbody tr"), tr => Assert.Equal("outbox-sent", tr.ClassName));
    }

    [Fact]
    public async Task Retry_MailRefusedWith550_NotOfferedButTheEndpointStillQueuesItAgain()
    {
        var client = app.Factory.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var sentPage = await client.GetPageAsync((await PostComposeAsync(client, OutboxAppFixture.RefusedRecipient, "Bounces")).Headers.Location!.OriginalString);
        var messageId = MessageIdOn(sentPage);
        var mail = await app.WaitForMailAsync(messageId, m => m.Status == OutboxStatus.Failed, "failed");
        var details = $"/outbox/{mail.Id}";

        var list = await client.GetPageAsync("/outbox?status=failed");
        var row = list.QuerySelector($"tr[data-message-id='{messageId}']");
        Assert.NotNull(row);
        Assert.Contains("550", row.TextContent, StringComparison.Ordinal);
        Assert.Null(row.QuerySelector("form.outbox-retry"));
        Assert.Contains("Refused for good", row.QuerySelector(".refused-for-good")?.TextContent, StringComparison.Ordinal);
        var before = await client.GetPageAsync(details);
        Assert.Null(before.QuerySelector("form.outbox-retry"));
        var attempt = Assert.Single(before.QuerySelectorAll("table.outbox-attempts tbody tr"));
        Assert.Contains("failed", attempt.TextContent, StringComparison.Ordinal);
        Assert.Contains("550", attempt.TextContent, StringComparison.Ordinal);
        var token = await client.GetTokenAsync("/compose", "/compose");

        using var response = await client.PostAsync($"{details}/retry", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [FormPages.TokenField] = token,
            ["returnUrl"] = details,
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal(details, response.Headers.Location?.OriginalString);
        var after = await client.GetPageAsync(details);
        Assert.Contains("queued again", after.QuerySelector("[role=status]")?.TextContent, StringComparison.Ordinal);
        // The worker attempts it again at once; the server still refuses, so a second attempt fails too.
        var deadline = DateTime.UtcNow.AddSeconds(15);
        IReadOnlyList<OutboxAttempt> attempts;
        while ((attempts = await app.Outbox.GetAttemptsAsync(mail.Id)).Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, $"The retried mail was not attempted again within 15 s; attempts: {string.Join(", ", attempts)}");
            await Task.Delay(50);
        }

        Assert.Equal(["failed", "failed"], attempts.Select(a => a.Outcome));
        await app.WaitForMailAsync(messageId, m => m.Status == OutboxStatus.Failed, "failed again");
    }

    [Fact]
    public async Task Retry_WithoutAntiforgeryToken_Returns400()
    {
        var client = app.Factory.CreateClient();

        using var response = await client.PostAsync("/outbox/1/retry", new FormUrlEncodedContent(new Dictionary<string, string>()));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task PostWelcome_OutboxOn_SaysQueued()
    {
        var client = app.Factory.CreateClient();
        var token = await client.GetTokenAsync("/welcome", "/welcome");

        using var response = await client.PostAsync("/welcome", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [FormPages.TokenField] = token,
            ["Single.Name"] = "Dora",
            ["Single.Email"] = "dora@example.com",
        }));

        var page = await response.ReadPageAsync();
        var status = page.QuerySelector("p.success")?.TextContent ?? "";
        Assert.Contains("Welcome mail to dora@example.com queued for delivery", status, StringComparison.Ordinal);
        Assert.DoesNotContain("mail sent", status, StringComparison.Ordinal);
        Assert.NotNull(page.QuerySelector("a.outbox-link[href='/outbox']"));
    }

    [Fact]
    public async Task PostBulk_OutboxOn_CountsAndLabelsSayQueued()
    {
        var client = app.Factory.CreateBrowser();
        var csv = "name,email\nEve,eve@example.com\nFay,fay@example.com\nNobody,not-an-address\n";

        var response = await client.PostListAsync("people.csv", csv);
        var jobUrl = response.Headers.Location!.OriginalString;
        var status = await client.WaitForJobAsync(jobUrl);

        Assert.Equal(2, status.GetProperty("queued").GetInt32());
        Assert.Equal(0, status.GetProperty("sent").GetInt32());
        Assert.Equal(1, status.GetProperty("invalid").GetInt32());
        var page = await client.GetPageAsync(jobUrl);
        var counts = page.QuerySelector(".bulk-counts")?.TextContent ?? "";
        Assert.Contains("Queued", counts, StringComparison.Ordinal);
        Assert.DoesNotContain("Sent", counts, StringComparison.Ordinal);
        Assert.Equal("2", page.QuerySelector("[data-count=queued]")?.TextContent);
        Assert.Null(page.QuerySelector("[data-count=sent]"));
        Assert.Equal(["Queued", "Queued"], page.QuerySelectorAll("table.bulk-results tr.result-queued td:nth-child(4)").Select(td => td.TextContent));
        Assert.Contains("queued", page.QuerySelector(".bulk-done")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostBulk_OutboxOnTwoListsOfSeveralTurnsEach_EveryRowQueuedAndEachMailArrivesOnce()
    {
        // Into the outbox a list hands over 100 rows a turn: these two take several turns each, in one run or several.
        var client = app.Factory.CreateBrowser();
        static string List(string tag, int rows) =>
            "name,email\n" + string.Concat(Enumerable.Range(0, rows).Select(i => $"Person {i},{tag}{i}@example.com\n"));
        var first = (await client.PostListAsync("first.csv", List("turns-a", 250))).Headers.Location!.OriginalString;
        var second = (await client.PostListAsync("second.csv", List("turns-b", 150))).Headers.Location!.OriginalString;

        var firstStatus = await client.WaitForJobAsync(first);
        var secondStatus = await client.WaitForJobAsync(second);

        Assert.Equal((250, 0), (firstStatus.GetProperty("queued").GetInt32(), firstStatus.GetProperty("waiting").GetInt32()));
        Assert.Equal((150, 0), (secondStatus.GetProperty("queued").GetInt32(), secondStatus.GetProperty("waiting").GetInt32()));
        var received = await WaitForRecipientsAsync(r => r.StartsWith("turns-", StringComparison.Ordinal), 400);
        var expected = Enumerable.Range(0, 250).Select(i => $"turns-a{i}@example.com").Concat(Enumerable.Range(0, 150).Select(i => $"turns-b{i}@example.com"));
        Assert.Equal(expected.Order(StringComparer.Ordinal), received.Order(StringComparer.Ordinal));
    }

    /// <summary>The recipients the test server received that <paramref name="match"/>, once at least
    /// <paramref name="count"/> did (and a moment later, for any sent twice), within 30 s.</summary>
    private async Task<List<string>> WaitForRecipientsAsync(Func<string, bool> match, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        List<string> Received() => [.. app.Smtp.Messages.SelectMany(m => m.RcptTos).Where(match)];
        while (Received().Count < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{Received().Count} of {count} mails arrived within 30 s.");
            await Task.Delay(100);
        }

        await Task.Delay(500);
        return Received();
    }

    [Fact]
    public async Task Nav_DevelopmentWithOutboxOn_LinksTheOutbox()
    {
        var page = await app.Factory.CreateClient().GetPageAsync("/");

        Assert.NotNull(page.QuerySelector("nav a[href='/outbox']"));
    }

    [Fact]
    public async Task Healthz_OutboxOnServerUp_ReportsDepthAndThatTheServerAnswers()
    {
        using var response = await app.Factory.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = health.RootElement;
        Assert.Equal("Healthy", root.GetProperty("status").GetString());
        var outbox = root.GetProperty("checks").GetProperty("outbox");
        Assert.Equal("Healthy", outbox.GetProperty("status").GetString());
        Assert.True(outbox.GetProperty("data").GetProperty("depth").GetInt64() >= 0);
        Assert.True(outbox.GetProperty("data").GetProperty("oldestAgeSeconds").GetDouble() >= 0);
        var smtp = root.GetProperty("checks").GetProperty("transport");
        Assert.Equal("Healthy", smtp.GetProperty("status").GetString());
        Assert.True(smtp.GetProperty("data").GetProperty("probed").GetBoolean());
        Assert.True(smtp.GetProperty("data").GetProperty("probed").GetBoolean());
    }

    private static async Task<IHtmlDocument> ComposeAsync(HttpClient client, string to, string subject)
    {
        using var response = await PostComposeAsync(client, to, subject);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/compose/sent", response.RequestMessage?.RequestUri?.AbsolutePath);
        return await response.ReadPageAsync();
    }

    private static async Task<HttpResponseMessage> PostComposeAsync(HttpClient client, string to, string subject)
    {
        var token = await client.GetTokenAsync("/compose", "/compose");
        using var content = FormPages.Multipart(new Dictionary<string, string>
        {
            [FormPages.TokenField] = token,
            ["To"] = to,
            ["Subject"] = subject,
            ["Message"] = "Hello",
        });
        return await client.PostAsync("/compose", content);
    }

    private static string MessageIdOn(IHtmlDocument page) =>
        page.QuerySelector("code.sent-message-id")?.TextContent.Trim().Trim('<', '>')
        ?? throw new Xunit.Sdk.XunitException("The page shows no Message-ID.");
}
