using System.Net;
using MailMvc.Mail.Outbox;
using MailMvc.Web.Outbox;

namespace MailMvc.Web.Tests.Pages;

/// <summary>What the pages say where the browser tour does not go: the pickup folder, a Production home page with
/// sending closed, the 429 page, and when Retry is offered.</summary>
public sealed class PagesWordingTests
{
    [Fact]
    public async Task PostCompose_PickupFolder_SaysWrittenToTheFileAndLinksToTheMail()
    {
        var pickup = Directory.CreateTempSubdirectory("mailmvc-pickup-");
        try
        {
            await using var factory = PickupApp(pickup.FullName);
            var client = factory.CreateClient();

            var response = await client.PostComposeAsync(new Dictionary<string, string> { ["To"] = "ann@example.com", ["Subject"] = "To a file", ["Message"] = "Hi" });

            var page = await response.ReadPageAsync();
            Assert.Equal("Written to a file", page.QuerySelector("h1")?.TextContent);
            var file = page.QuerySelector(".written-file")?.TextContent ?? "";
            Assert.EndsWith(".eml", file, StringComparison.Ordinal);
            Assert.True(File.Exists(Path.Combine(pickup.FullName, Path.GetFileName(file))), $"{file} is not in the pickup folder.");
            Assert.DoesNotContain("was sent", page.QuerySelector("[role=status]")?.TextContent, StringComparison.Ordinal);
            var delivery = await client.GetPageAsync(page.QuerySelector("a.delivery-link")!.GetAttribute("href")!);
            Assert.Equal("pickup folder", delivery.QuerySelector(".delivery-via")?.TextContent);
            Assert.Equal(file, delivery.QuerySelector(".written-file")?.TextContent);
            Assert.Contains("Hi", delivery.QuerySelector("pre.preview-text")?.TextContent, StringComparison.Ordinal);
            Assert.NotNull(delivery.QuerySelector("iframe[data-fit-content]"));
        }
        finally
        {
            pickup.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task PostWelcome_PickupFolder_SaysWrittenToTheFileNotSent()
    {
        var pickup = Directory.CreateTempSubdirectory("mailmvc-pickup-");
        try
        {
            await using var factory = PickupApp(pickup.FullName);
            var client = factory.CreateClient();
            var token = await client.GetTokenAsync("/welcome", "/welcome");

            var response = await client.PostAsync("/welcome", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                [FormPages.TokenField] = token,
                ["Single.Name"] = "Ann",
                ["Single.Email"] = "ann@example.com",
            }));

            var status = (await response.ReadPageAsync()).QuerySelector("[role=status]")?.TextContent ?? "";
            Assert.Contains("written to ", status, StringComparison.Ordinal);
            Assert.Contains(".eml, in the pickup folder", status, StringComparison.Ordinal);
            Assert.DoesNotContain("sent to", status, StringComparison.Ordinal);
            Assert.Single(Directory.GetFiles(pickup.FullName, "*.eml"));
        }
        finally
        {
            pickup.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task DevMail_PickupFolder_SaysNothingAboutSmtpTranscripts()
    {
        var pickup = Directory.CreateTempSubdirectory("mailmvc-pickup-");
        try
        {
            await using var factory = PickupApp(pickup.FullName);

            var page = await factory.CreateBrowser().GetPageAsync("/dev/mail");

            var hint = page.QuerySelector("p.hint")?.TextContent ?? "";
            Assert.Contains("the pickup folder", hint, StringComparison.Ordinal);
            Assert.DoesNotContain("SMTP", hint, StringComparison.Ordinal);
        }
        finally
        {
            pickup.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task Home_ProductionSendingClosed_SaysSendingIsOffAndWhichSettingsTurnItOn()
    {
        await using var factory = new MailMvcFactory("Production");

        var page = await factory.CreateBrowser().GetPageAsync("/");

        var notice = page.QuerySelector(".sending-off")?.TextContent ?? "";
        Assert.Contains("Sending is off", notice, StringComparison.Ordinal);
        Assert.Contains("Sending:Role", notice, StringComparison.Ordinal);
        Assert.Contains("Sending:AllowAnonymous", notice, StringComparison.Ordinal);
        Assert.Null(page.QuerySelector("a[href='/compose']"));
    }

    [Fact]
    public async Task Home_ProductionRoleSetVisitorNotInIt_AsksToSignInWithoutNamingTheRole()
    {
        await using var factory = new MailMvcFactory("Production", new Dictionary<string, string?> { ["Sending:Role"] = "mail-senders" });

        var html = await (await factory.CreateBrowser().GetAsync("/")).Content.ReadAsStringAsync();

        Assert.Contains("Sign in to send", html, StringComparison.Ordinal);
        Assert.DoesNotContain("mail-senders", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostCompose_MorePostsThanPermitted_ShowsThe429PageInTheLayoutWithWhenToTryAgain()
    {
        await using var factory = new MailMvcFactory("Development", new Dictionary<string, string?> { ["RateLimits:Sending:PermitsPerMinute"] = "1" });
        var client = factory.CreateBrowser();
        var fields = new Dictionary<string, string> { ["To"] = "ann@example.com", ["Subject"] = "Once", ["Message"] = "Hi" };
        await client.PostComposeAsync(fields);

        var response = await client.PostComposeAsync(fields);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.RetryAfter?.Delta > TimeSpan.Zero, "No Retry-After header.");
        var page = await response.ReadPageAsync();
        Assert.NotNull(page.QuerySelector("header.site-header nav"));
        Assert.Contains("UTC", page.QuerySelector(".retry-at")?.TextContent, StringComparison.Ordinal);
        Assert.Equal("/compose", page.QuerySelector("a.back-to-form")?.GetAttribute("href"));
    }

    [Theory]
    [InlineData("550 5.1.1 <nobody@example.com>: Recipient address rejected", false)]
    [InlineData("Gave up after 5 attempt(s): 451 4.3.0 Try again later", true)]
    [InlineData(null, true)]
    public void CanRetry_FailedMail_OnlyWhenTheServerDidNotRefuseItForGood(string? lastReply, bool offered)
    {
        var mail = new OutboxEntry(1, "id@example.com", "Subject", "ann@example.com", OutboxStatus.Failed, 1,
            DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, null, lastReply);

        Assert.Equal(offered, OutboxStateText.CanRetry(mail));
    }

    private static MailMvcFactory PickupApp(string folder) => new("Development", new Dictionary<string, string?>
    {
        ["Mail:SuppressSend"] = "false",
        ["Mail:DeliveryMethod"] = "PickupDirectory",
        ["Mail:PickupDirectory"] = folder,
    });
}
