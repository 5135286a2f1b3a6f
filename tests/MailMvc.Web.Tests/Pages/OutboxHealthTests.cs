using System.Net;
using System.Text.Json;
using MailMvc.Mail;
using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Web.Tests.Pages;

/// <summary>/healthz with the outbox on, when the SMTP server is down or mail waits too long; each with its own host.</summary>
public sealed class OutboxHealthTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-outbox-health-").FullName;

    [Fact]
    public async Task Healthz_SmtpServerDown_Returns503Unhealthy()
    {
        var port = SmtpTestServer.FindClosedPort();
        await using var factory = new MailMvcFactory("Production", OutboxAppFixture.Settings(port, _directory));

        using var response = await factory.CreateBrowser().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync();
        using var health = JsonDocument.Parse(body);
        Assert.Equal("Unhealthy", health.RootElement.GetProperty("status").GetString());
        var smtp = health.RootElement.GetProperty("checks").GetProperty("transport");
        Assert.Equal("Unhealthy", smtp.GetProperty("status").GetString());
        Assert.Contains("does not answer", smtp.GetProperty("description").GetString(), StringComparison.Ordinal);
        // Anyone may read /healthz: it does not tell which server, or the error's text.
        Assert.DoesNotContain(port.ToString(System.Globalization.CultureInfo.InvariantCulture), body, StringComparison.Ordinal);
        Assert.Equal("Healthy", health.RootElement.GetProperty("checks").GetProperty("outbox").GetProperty("status").GetString());
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Healthz_OldestQueuedMailOlderThanTheLimit_Degraded()
    {
        // The server takes connections but answers every message with 451, so the mail waits for its next attempt.
        await using var smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { DataReply = "451 4.3.0 Try again later" });
        await using var factory = new MailMvcFactory("Development", OutboxAppFixture.Settings(smtp.Port, _directory, new Dictionary<string, string?>
        {
            ["Health:OutboxMaxAge"] = "00:00:00.001",
        }));
        var mailer = factory.Services.GetRequiredService<IMailer>();
        var message = new Message(subject: "Waiting", recipients: ["ann@example.com"], body: "Hi");
        await mailer.SendAsync(message);
        await OutboxAppFixture.WaitForMailAsync(factory.Services.GetRequiredService<MailMvc.Mail.Outbox.IMailOutbox>(), message.MessageId,
            m => m.Attempts == 1 && m.Status == MailMvc.Mail.Outbox.OutboxStatus.Queued, "queued for a retry");

        using var response = await factory.CreateBrowser().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Degraded", health.RootElement.GetProperty("status").GetString());
        var outbox = health.RootElement.GetProperty("checks").GetProperty("outbox");
        Assert.Equal("Degraded", outbox.GetProperty("status").GetString());
        Assert.Equal(1, outbox.GetProperty("data").GetProperty("depth").GetInt64());
        Assert.Contains("longer than", outbox.GetProperty("description").GetString(), StringComparison.Ordinal);
        Assert.Equal("Healthy", health.RootElement.GetProperty("checks").GetProperty("transport").GetProperty("status").GetString());
    }

    [Fact]
    public async Task Healthz_AgainWithinTheCountsInterval_AnswersFromTheFirstCountWithoutCountingTheOutboxAgain()
    {
        await using var smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { DataReply = "451 4.3.0 Try again later" });
        await using var factory = new MailMvcFactory("Development", OutboxAppFixture.Settings(smtp.Port, _directory, new Dictionary<string, string?>
        {
            ["Health:OutboxCountsInterval"] = "00:01:00",
        }));
        var browser = factory.CreateBrowser();
        var before = await OutboxDepthAsync(browser);
        var message = new Message(subject: "Waiting", recipients: ["ann@example.com"], body: "Hi");
        await factory.Services.GetRequiredService<IMailer>().SendAsync(message);
        await OutboxAppFixture.WaitForMailAsync(factory.Services.GetRequiredService<MailMvc.Mail.Outbox.IMailOutbox>(), message.MessageId,
            m => m.Attempts == 1 && m.Status == MailMvc.Mail.Outbox.OutboxStatus.Queued, "queued for a retry");

        var after = await OutboxDepthAsync(browser);

        // The mail now waits, but within the minute /healthz answers from the count it made first.
        Assert.Equal((0L, 0L), (before, after));
    }

    private static async Task<long> OutboxDepthAsync(HttpClient browser)
    {
        using var response = await browser.GetAsync("/healthz");
        using var health = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return health.RootElement.GetProperty("checks").GetProperty("outbox").GetProperty("data").GetProperty("depth").GetInt64();
    }

    public void Dispose()
    {
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
