using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The outbox's figures through System.Diagnostics.Metrics, as a metrics exporter would read them.</summary>
public sealed class OutboxMetricsTests(SqliteOutboxDatabase database) : IClassFixture<SqliteOutboxDatabase>
{
    [Fact]
    public async Task Delivery_ThreeMailsOneRefused_CountsEnqueuedSentFailedAndTheDelay()
    {
        // Other tests in this process use the same meter: the figures are at least this run's.
        using var enqueued = new MetricCollector<long>(null, "MailMvc.Mail", "mailmvc.outbox.enqueued");
        using var sent = new MetricCollector<long>(null, "MailMvc.Mail", "mailmvc.outbox.sent");
        using var failed = new MetricCollector<long>(null, "MailMvc.Mail", "mailmvc.outbox.failed");
        using var delay = new MetricCollector<double>(null, "MailMvc.Mail", "mailmvc.outbox.delivery_delay");
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "refused@example.com" });
        await using var host = await OutboxTestHost.StartAsync(database.Provider, await database.CreateOutboxAsync(), server.Port);

        foreach (var to in new[] { "one@example.com", "refused@example.com", "two@example.com" })
        {
            await host.Mailer.SendAsync(new Message("Metrics", [to], body: "Hi"));
        }

        await host.WaitUntilSettledAsync(3);

        Assert.True(enqueued.GetMeasurementSnapshot().Sum(m => m.Value) >= 3);
        Assert.True(sent.GetMeasurementSnapshot().Sum(m => m.Value) >= 2);
        Assert.True(failed.GetMeasurementSnapshot().Sum(m => m.Value) >= 1);
        Assert.True(delay.GetMeasurementSnapshot().Count >= 2);
        Assert.All(delay.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 30));
    }
}
