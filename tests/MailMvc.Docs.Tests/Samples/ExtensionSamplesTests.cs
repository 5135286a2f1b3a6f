using System.Globalization;
using System.Text;
using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using MailMvc.Samples.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailMvc.Docs.Tests.Samples;

/// <summary>The three extension samples the docs show do what the docs say, together in one real host: the
/// interceptor stops mail to the blocked domain, the in-memory store queues the rest, and the outbox's worker
/// delivers it through the HTTP transport to a real HTTP server.</summary>
public sealed class ExtensionSamplesTests : IAsyncLifetime
{
    private MailApiServer _api = null!;
    private IHost _host = null!;

    public async Task InitializeAsync()
    {
        _api = await MailApiServer.StartAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:DefaultSender"] = "app@example.com",
            ["Mail:Outbox:RetryBaseDelay"] = "00:00:00.100",
            ["Mail:Outbox:RetryMaxDelay"] = "00:00:00.100",
        });
        builder.Services.AddHttpClient(nameof(HttpApiTransport), http => http.BaseAddress = _api.BaseAddress);
        builder.Services.AddMail(builder.Configuration.GetSection("Mail"))
            .UseTransport<HttpApiTransport>()
            .AddInterceptor<BlockedDomainInterceptor>()
            .AddOutbox(outbox => outbox.UseStore<InMemoryOutboxStore>());
        _host = builder.Build();
        await _host.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _host.StopAsync();
        _host.Dispose();
        await _api.DisposeAsync();
    }

    [Fact]
    public async Task Samples_MailToAnAllowedAddress_IsQueuedThenPostedToTheMailApi()
    {
        var mailer = _host.Services.GetRequiredService<IMailer>();
        var outbox = _host.Services.GetRequiredService<IMailOutbox>();

        var receipt = await mailer.SendMessageAsync(subject: "Shipped", recipients: ["ada@example.com"], body: "On its way.",
            bcc: ["audit@example.com"]);
        var posted = await _api.NextAsync();

        Assert.Equal(MailDisposition.Queued, receipt.Disposition);
        Assert.Equal("message/rfc822", posted.ContentType);
        Assert.Equal("ada@example.com, audit@example.com", posted.EnvelopeTo);
        Assert.Equal("Shipped", MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(posted.Mime))).Subject);
        var id = long.Parse(receipt.QueueId!, CultureInfo.InvariantCulture);
        await WaitForAsync(async () => (await outbox.GetAsync(id))?.Status == OutboxStatus.Sent);
    }

    [Fact]
    public async Task Samples_MailToTheBlockedDomain_IsStoppedAndNeverQueued()
    {
        var mailer = _host.Services.GetRequiredService<IMailer>();
        var outbox = _host.Services.GetRequiredService<IMailOutbox>();

        var receipt = await mailer.SendMessageAsync(subject: "Hello", recipients: ["ada@example.com"], body: "Hi",
            cc: [$"eve@{BlockedDomainInterceptor.BlockedDomain}"]);

        Assert.Equal(MailDisposition.Stopped, receipt.Disposition);
        Assert.Equal($"Mail to {BlockedDomainInterceptor.BlockedDomain} is not allowed.", receipt.Reason);
        var counts = await outbox.GetCountsAsync();
        Assert.Equal(0, counts.Depth + counts.Sent + counts.Failed);
    }

    [Fact]
    public async Task Samples_MailApiAnswers503_MailIsRetriedUntilTheApiTakesIt()
    {
        var mailer = _host.Services.GetRequiredService<IMailer>();
        var outbox = _host.Services.GetRequiredService<IMailOutbox>();
        _api.Status = 503;

        var receipt = await mailer.SendMessageAsync(subject: "Retry me", recipients: ["ada@example.com"], body: "Hi");
        await _api.NextAsync();
        _api.Status = 202;
        await _api.NextAsync();

        var id = long.Parse(receipt.QueueId!, CultureInfo.InvariantCulture);
        await WaitForAsync(async () => (await outbox.GetAsync(id))?.Status == OutboxStatus.Sent);
        var attempts = await outbox.GetAttemptsAsync(id);
        Assert.Equal(["retry", "sent"], attempts.Select(a => a.Outcome));
        Assert.Contains("503", attempts[0].Reply, StringComparison.Ordinal);
    }

    private static async Task WaitForAsync(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "The outbox did not reach the expected state within 10 seconds.");
            await Task.Delay(20);
        }
    }
}
