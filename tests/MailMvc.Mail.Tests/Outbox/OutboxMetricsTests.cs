using System.Diagnostics.Metrics;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The outbox's figures through System.Diagnostics.Metrics, as a metrics exporter would read them.</summary>
public sealed class OutboxMetricsTests(SqliteOutboxDatabase database) : IClassFixture<SqliteOutboxDatabase>
{
    [Fact]
    public async Task Delivery_ThreeMailsOneRefused_CountsEnqueuedSentFailedAndTheDelay()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "refused@example.com" });
        await using var host = await OutboxTestHost.StartAsync(database.Provider, await database.CreateOutboxAsync(), server.Port);
        // The host's meter factory scopes the meter to this host: other tests' outboxes are not counted.
        var meters = host.Services.GetRequiredService<IMeterFactory>();
        using var enqueued = new MetricCollector<long>(meters, "MailMvc.Mail", "mailmvc.outbox.enqueued");
        using var sent = new MetricCollector<long>(meters, "MailMvc.Mail", "mailmvc.outbox.sent");
        using var failed = new MetricCollector<long>(meters, "MailMvc.Mail", "mailmvc.outbox.failed");
        using var delay = new MetricCollector<double>(meters, "MailMvc.Mail", "mailmvc.outbox.delivery_delay");

        foreach (var to in new[] { "one@example.com", "refused@example.com", "two@example.com" })
        {
            await host.Mailer.SendAsync(new Message("Metrics", [to], body: "Hi"));
        }

        await host.WaitUntilSettledAsync(3);
        // A worker counts an outcome just after recording it, so the figures may trail the outbox by a moment.
        var wait = TimeSpan.FromSeconds(10);
        await enqueued.WaitForMeasurementsAsync(3, wait);
        await sent.WaitForMeasurementsAsync(2, wait);
        await failed.WaitForMeasurementsAsync(1, wait);
        await delay.WaitForMeasurementsAsync(2, wait);

        Assert.Equal(3, enqueued.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(2, sent.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(1, failed.GetMeasurementSnapshot().Sum(m => m.Value));
        Assert.Equal(2, delay.GetMeasurementSnapshot().Count);
        Assert.All(delay.GetMeasurementSnapshot(), m => Assert.InRange(m.Value, 0, 30));
    }
}
