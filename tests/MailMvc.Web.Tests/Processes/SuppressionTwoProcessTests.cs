using System.Net;
using MailMvc.Mail.Tests.Integration;
using MailMvc.Mail.Tests.Outbox;
using MailMvc.Web.Tests.Pages;
using MimeKit;
using Xunit.Abstractions;

namespace MailMvc.Web.Tests.Processes;

/// <summary>
/// Two app processes on one PostgreSQL outbox share the suppression list: a person unsubscribes through one (its
/// one-click endpoint, as a mail client posts to it) while their welcome mail is still queued, because the SMTP server
/// is down; the other process then delivers the queue without that mail, and its own next list skips the address.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class SuppressionTwoProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly PostgresInstances _instances = new("mailmvc-suppression-two-", output);
    private SmtpTestServer? _smtp;

    public async Task InitializeAsync()
    {
        await _instances.Database.InitializeAsync();
        _smtp = await SmtpTestServer.StartAsync();
    }

    [Fact]
    public async Task Suppression_UnsubscribedThroughOneProcess_TheOtherSkipsTheMailQueuedBeforeAndTheNextList()
    {
        var outbox = await _instances.Database.CreateOutboxAsync();
        // The first instance's SMTP server is down: its list stays queued.
        var one = await StartAppAsync("instance-one.test", outbox, SmtpTestServer.FindClosedPort());
        using var first = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = one.BaseAddress };
        using var upload = await first.PostListAsync("first.csv", "name,email\nAda,ada@example.com\nBob,bob@example.com\n");
        Assert.True(upload.StatusCode == HttpStatusCode.Redirect, $"The upload answered {upload.StatusCode}. App output:\n{one.Output}");
        await first.WaitForJobAsync(upload.Headers.Location!.OriginalString);

        var link = await QueuedUnsubscribeLinkAsync(outbox, "ada@example.com");
        using var mailClient = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = one.BaseAddress };
        using var unsubscribed = await mailClient.PostAsync(link.AbsolutePath, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
        Assert.Equal(HttpStatusCode.OK, unsubscribed.StatusCode);
        await one.KillAsync();

        var two = await StartAppAsync("instance-two.test", outbox, _smtp!.Port);
        await OutboxProcessSteps.WaitUntilAsync(() => (_smtp.Messages.Any(m => m.RcptTos.Contains("bob@example.com")), "bob's mail not yet received"),
            TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(60), "bob's queued mail", two);
        var ada = await _instances.Database.QueryAsync(outbox, "SELECT status, last_reply FROM mailmvc_outbox WHERE recipients = 'ada@example.com'");
        using var second = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = two.BaseAddress };
        using var next = await second.PostListAsync("second.csv", "name,email\nAda,ada@example.com\nCarol,carol@example.com\n");
        var jobUrl = next.Headers.Location!.OriginalString;
        var status = await second.WaitForJobAsync(jobUrl);
        var row = (await second.GetPageAsync(jobUrl + "?show=suppressed")).QuerySelector("tr.result-suppressed")?.TextContent ?? "";

        output.WriteLine($"ada's queued mail: {ada[0][0]} / {ada[0][1]}");
        Assert.Equal("failed", ada[0][0]);
        Assert.StartsWith("Not sent: ada@example.com unsubscribed on ", (string?)ada[0][1], StringComparison.Ordinal);
        Assert.DoesNotContain(_smtp.Messages, m => m.RcptTos.Contains("ada@example.com"));
        Assert.Equal((1, 1), (status.Count("queued"), status.Count("suppressed")));
        Assert.Contains("Not sent: ada@example.com unsubscribed on ", row, StringComparison.Ordinal);
    }

    public async Task DisposeAsync()
    {
        await _instances.DisposeAsync();
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
    }

    /// <summary>The one-click link of the mail queued for <paramref name="recipient"/>, read from the outbox's stored MIME.</summary>
    private async Task<Uri> QueuedUnsubscribeLinkAsync(string outbox, string recipient)
    {
        var rows = await _instances.Database.QueryAsync(outbox,
            $"SELECT m.mime FROM mailmvc_outbox o JOIN mailmvc_outbox_mime m ON m.outbox_id = o.id WHERE o.recipients = '{recipient}'");
        var mime = MimeMessage.Load(new MemoryStream((byte[])Assert.Single(rows)[0]!));
        var header = mime.Headers[HeaderId.ListUnsubscribe] ?? "";
        return new Uri(header[(header.IndexOf('<', StringComparison.Ordinal) + 1)..header.IndexOf('>', StringComparison.Ordinal)]);
    }

    private Task<AppProcess> StartAppAsync(string name, string outbox, int smtpPort) =>
        _instances.StartAsync(name, outbox, smtpPort, new Dictionary<string, string>
        {
            ["Mail__Outbox__RetryBaseDelay"] = "00:00:00.200",
            ["Mail__Outbox__RetryMaxDelay"] = "00:00:01",
        });
}
