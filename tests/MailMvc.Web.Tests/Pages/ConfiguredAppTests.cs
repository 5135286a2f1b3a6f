using System.Net;
using System.Net.Sockets;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using MailMvc.Web.DevMail;
using MailMvc.Web.Tests.Templates;

namespace MailMvc.Web.Tests.Pages;

/// <summary>Tests that need the app configured their own way, each with its own host.</summary>
public sealed class ConfiguredAppTests
{
    [Theory]
    [InlineData("/dev/mail")]
    [InlineData("/dev/mail/Welcome/default")]
    [InlineData("/dev/mail/Welcome/default/html")]
    public async Task DevMail_InProduction_Returns404(string url)
    {
        await using var factory = new MailMvcFactory("Production");

        var response = await factory.CreateBrowser().GetAsync(url);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task DevMail_TemplateWithoutPreviewCase_ListedWithAWarningNamingWhereToAddOne()
    {
        var templates = Directory.CreateTempSubdirectory("mailmvc-dev-templates-");
        try
        {
            foreach (var file in Directory.EnumerateFiles(EmailTemplatesFixture.TemplatesPath))
            {
                File.Copy(file, Path.Combine(templates.FullName, Path.GetFileName(file)));
            }

            await File.WriteAllTextAsync(Path.Combine(templates.FullName, "Receipt.cshtml"), "<p>Thank you for your order.</p>\n");
            await using var factory = new MailMvcFactory("Development", new Dictionary<string, string?>
            {
                ["EmailTemplates:TemplatesPath"] = templates.FullName,
                ["EmailTemplates:WarmUpOnStart"] = "false",
            });

            var page = await factory.CreateBrowser().GetPageAsync("/dev/mail");

            var receipt = page.QuerySelectorAll("h3").Single(heading => heading.TextContent == "Receipt");
            Assert.Equal($"No preview case: add one in {MailPreviews.SourceFile}.", receipt.NextElementSibling?.TextContent);
            Assert.Equal(["Receipt"], page.QuerySelectorAll(".template-without-case").Select(warning => warning.PreviousElementSibling?.TextContent));
        }
        finally
        {
            templates.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PostWelcome_MorePostsThanPermitted_Returns429()
    {
        await using var factory = new MailMvcFactory("Development", new Dictionary<string, string?> { ["RateLimits:Sending:PermitsPerMinute"] = "2" });
        var client = factory.CreateBrowser();
        var token = await client.GetTokenAsync("/welcome", "/welcome");

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? last = null;
        for (var i = 0; i < 3; i++)
        {
            last = await client.PostAsync("/welcome", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [FormPages.TokenField] = token,
                ["Single.Name"] = "Tom",
                ["Single.Email"] = "tom@example.com",
            }));
            statuses.Add(last.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Redirect, HttpStatusCode.Redirect, HttpStatusCode.TooManyRequests], statuses);
        Assert.Contains("Too many mails", await last!.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostCompose_ServerUnreachable_ShowsClearMessageAndKeepsFields()
    {
        await using var factory = new MailMvcFactory("Development", new Dictionary<string, string?>
        {
            ["Mail:DeliveryMethod"] = "Smtp",
            ["Mail:Server"] = "127.0.0.1",
            ["Mail:Port"] = MailMvc.Mail.Tests.Integration.SmtpTestServer.FindClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:SuppressSend"] = "false",
            ["Mail:Timeout"] = "00:00:02",
        });
        var response = await factory.CreateBrowser().PostComposeAsync(new Dictionary<string, string>
        {
            ["To"] = "ann@example.com",
            ["Subject"] = "Still there?",
            ["Message"] = "Line one\nLine two",
        });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var page = await response.ReadPageAsync();
        var alert = page.QuerySelector("form .form-error")?.TextContent ?? "";
        Assert.Contains("Could not connect", alert, StringComparison.Ordinal);
        Assert.Contains("Nothing you typed was lost", alert, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
        Assert.Equal("ann@example.com", page.QuerySelector<IHtmlInputElement>("input[name='To']")?.Value);
        Assert.Equal("Still there?", page.QuerySelector<IHtmlInputElement>("input[name='Subject']")?.Value);
        Assert.Equal("Line one\nLine two", page.QuerySelector<IHtmlTextAreaElement>("textarea[name='Message']")?.Value);
    }

    [Fact]
    public async Task PostBulk_ServerUnreachable_EveryRowFailedAndThePageSaysWhy()
    {
        await using var factory = new MailMvcFactory("Development", new Dictionary<string, string?>
        {
            ["Mail:DeliveryMethod"] = "Smtp",
            ["Mail:Server"] = "127.0.0.1",
            ["Mail:Port"] = MailMvc.Mail.Tests.Integration.SmtpTestServer.FindClosedPort().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Mail:SuppressSend"] = "false",
            ["BulkWelcome:Connections"] = "2",
        });
        var client = factory.CreateBrowser();
        var csv = "name,email\n" + string.Concat(Enumerable.Range(1, 20).Select(i => $"Person {i},person{i}@example.com\n"));

        var response = await client.PostListAsync("people.csv", csv);
        var jobUrl = response.Headers.Location!.OriginalString;
        var status = await client.WaitForJobAsync(jobUrl);

        Assert.Equal(20, status.GetProperty("failed").GetInt32());
        Assert.Equal(0, status.GetProperty("sent").GetInt32());
        var page = await client.GetPageAsync(jobUrl);
        Assert.Contains("Could not connect", page.QuerySelector("[role=alert]")?.TextContent, StringComparison.Ordinal);
        Assert.Equal(20, page.QuerySelectorAll("table.bulk-results tr.result-failed").Length);
        // Sent over two connections, the rows are still listed in file order (the header is line 1).
        Assert.Equal(
            Enumerable.Range(2, 20).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            page.QuerySelectorAll("table.bulk-results tbody tr td:first-child").Select(td => td.TextContent.Trim()));
    }
}
