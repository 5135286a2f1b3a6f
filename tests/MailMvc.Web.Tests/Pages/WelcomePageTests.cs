using System.Net;
using System.Text;
using System.Text.Json;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using MailMvc.Mail;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

public sealed class WelcomePageTests(MailMvcFactory factory) : IClassFixture<MailMvcFactory>
{
    private IMailer Mailer => factory.Services.GetRequiredService<IMailer>();

    [Fact]
    public async Task GetWelcome_Always_HasLabelledNameAndEmail()
    {
        var page = await factory.CreateBrowser().GetPageAsync("/welcome");

        var form = page.Forms.Single(f => f.GetAttribute("action") == "/welcome");
        foreach (var (label, name) in new[] { ("Name", "Single.Name"), ("Email", "Single.Email") })
        {
            var labelElement = form.QuerySelectorAll("label").Single(l => l.TextContent.Trim() == label);
            Assert.Equal(name, page.GetElementById(labelElement.GetAttribute("for")!)?.GetAttribute("name"));
        }

        Assert.Equal("Send welcome mail", form.QuerySelector("button")?.TextContent.Trim());
    }

    [Fact]
    public async Task PostWelcome_NameWithMarkup_TextKeepsItAndHtmlEncodesIt()
    {
        var client = factory.CreateBrowser();
        using var outbox = Mailer.RecordMessages();
        var token = await client.GetTokenAsync("/welcome", "/welcome");

        var response = await client.PostAsync("/welcome", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [FormPages.TokenField] = token,
            ["Single.Name"] = "Tom & Jerry <b>",
            ["Single.Email"] = "tom@example.com",
        }));

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var message = Assert.Single(outbox.Messages);
        Assert.Equal(["tom@example.com"], message.Recipients);
        Assert.Contains("Tom & Jerry <b>", message.Body, StringComparison.Ordinal);
        Assert.Contains("Tom &amp; Jerry &lt;b&gt;", message.Html, StringComparison.Ordinal);
        Assert.DoesNotContain("Tom & Jerry <b>", message.Html, StringComparison.Ordinal);

        var page = await client.GetPageAsync("/welcome");
        Assert.Contains("Welcome mail sent to tom@example.com", page.QuerySelector("p.success")?.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostWelcome_EmptyNameAndBadEmail_ShowsErrorsBesideFieldsSendsNothing()
    {
        var client = factory.CreateBrowser();
        using var outbox = Mailer.RecordMessages();
        var token = await client.GetTokenAsync("/welcome", "/welcome");

        var response = await client.PostAsync("/welcome", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [FormPages.TokenField] = token,
            ["Single.Name"] = "",
            ["Single.Email"] = "tom-at-example.com",
        }));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Equal("Enter a name.", page.ErrorBeside("Single.Name"));
        Assert.Equal("'tom-at-example.com' is not a valid email address.", page.ErrorBeside("Single.Email"));
        Assert.Equal("tom-at-example.com", page.QuerySelector<IHtmlInputElement>("input[name='Single.Email']")?.Value);
        Assert.Empty(outbox.Messages);
    }

    [Fact]
    public async Task PostBulk_NameStartingWithEquals_EscapedInTheResultsFileShownAsTypedOnThePage()
    {
        var client = factory.CreateBrowser();
        var response = await client.PostListAsync("formula.csv", "name,email\n=HYPERLINK(\"http://evil\"),eve@example.com\n");
        var jobUrl = response.Headers.Location!.OriginalString;
        await client.WaitForJobAsync(jobUrl);

        var file = await client.GetStringAsync(jobUrl + "/results.csv");
        var page = await client.GetPageAsync(jobUrl);

        Assert.DoesNotContain(",=HYPERLINK", file, StringComparison.Ordinal);
        Assert.Contains("'=HYPERLINK", file, StringComparison.Ordinal);
        Assert.Equal("=HYPERLINK(\"http://evil\")", page.QuerySelector("table.bulk-results tbody tr td:nth-child(2)")?.TextContent);
    }

    [Fact]
    public async Task PostBulk_FiftyRowsTwoInvalid_Sends48AndListsTheInvalidRows()
    {
        var client = factory.CreateBrowser();
        using var outbox = Mailer.RecordMessages();
        var csv = new StringBuilder("Email,NAME\n");
        for (var i = 1; i <= 50; i++)
        {
            var row = i switch
            {
                10 => "not-an-address,Row Ten",
                30 => "thirty@example.com,",
                _ => $"person{i}@example.com,Person {i}",
            };
            csv.Append(row).Append('\n');
        }

        var response = await client.PostListAsync("people.csv", csv.ToString());

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var jobUrl = response.Headers.Location!.OriginalString;
        Assert.Matches("^/welcome/bulk/[A-Za-z0-9_-]{22}$", jobUrl);

        var status = await client.WaitForJobAsync(jobUrl);

        Assert.Equal(50, status.GetProperty("total").GetInt32());
        Assert.Equal(48, status.GetProperty("sent").GetInt32());
        Assert.Equal(2, status.GetProperty("invalid").GetInt32());
        Assert.Equal(48, outbox.Messages.Count);
        Assert.Contains(outbox.Messages, m => m.Recipients.SequenceEqual(["person50@example.com"]));

        var page = await client.GetPageAsync(jobUrl);
        var invalid = page.QuerySelectorAll("table.bulk-results tr.result-invalid").Select(r => r.TextContent).ToList();
        Assert.Equal(2, invalid.Count);
        Assert.Contains("not-an-address", invalid[0], StringComparison.Ordinal);
        Assert.Contains("'not-an-address' is not a valid email address.", invalid[0], StringComparison.Ordinal);
        Assert.Contains("thirty@example.com", invalid[1], StringComparison.Ordinal);
        Assert.Contains("Enter a name.", invalid[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostBulk_CsvWithoutEmailColumn_ShowsErrorBesideFileField()
    {
        var client = factory.CreateBrowser();
        using var outbox = Mailer.RecordMessages();

        var response = await client.PostListAsync("people.csv", "name,address\nTom,tom@example.com\n");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.ReadPageAsync();
        Assert.Contains("no 'email' column", page.ErrorBeside("Bulk.List"), StringComparison.Ordinal);
        Assert.Empty(outbox.Messages);
    }

    [Fact]
    public async Task PostBulk_NoFile_AsksForOneBesideFileField()
    {
        var client = factory.CreateBrowser();
        var token = await client.GetTokenAsync("/welcome", "/welcome/bulk");
        using var content = FormPages.Multipart([new(FormPages.TokenField, token)]);

        var response = await client.PostAsync("/welcome/bulk", content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Choose a CSV file.", (await response.ReadPageAsync()).ErrorBeside("Bulk.List"));
    }
}
