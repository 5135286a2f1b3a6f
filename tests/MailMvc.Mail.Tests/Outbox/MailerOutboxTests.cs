using MailMvc.Mail.Outbox;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>What <c>AddOutbox</c> registers, and that the outbox only queues while it is on.</summary>
public sealed class MailerOutboxTests
{
    [Fact]
    public async Task AddOutbox_OffInConfiguration_MailerUsesTheWrappedTransportAndTheOutboxSaysOff()
    {
        await using var services = Build(outbox: null, suppress: false);

        Assert.False(services.GetRequiredService<IMailOutbox>().IsEnabled);
        // Beneath the tracing wrapper, which makes a span per message while someone listens.
        Assert.IsType<SmtpMailTransport>(Assert.IsAssignableFrom<IMailTransportWrapper>(services.GetRequiredService<IMailTransport>()).Inner);
        await Assert.ThrowsAsync<InvalidOperationException>(() => services.GetRequiredService<IMailOutbox>().GetCountsAsync());
    }

    [Fact]
    public async Task AddOutbox_StoreChosenInCode_WrapsTheTransportAndQueues()
    {
        var file = Path.Combine(Path.GetTempPath(), $"mailmvc-outbox-{Guid.NewGuid():N}.db");
        await using var services = Build(outbox => outbox.UseSqlite($"Data Source={file}"), suppress: false);
        try
        {
            var transport = Assert.IsAssignableFrom<IQueueingMailTransport>(services.GetRequiredService<IMailTransport>());
            var receipt = await services.GetRequiredService<IMailer>().SendMessageAsync(subject: "queued", recipients: ["to@example.com"], body: "b");

            Assert.IsType<SmtpMailTransport>(Assert.IsAssignableFrom<IMailTransportWrapper>(transport.DeliveryTransport).Inner);
            Assert.True(services.GetRequiredService<IMailOutbox>().IsEnabled);
            Assert.Equal(MailDisposition.Queued, receipt.Disposition);
            Assert.Equal(1, (await services.GetRequiredService<IMailOutbox>().GetCountsAsync()).Queued);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task AddOutbox_SendingSuppressed_OutboxOffAndSendsAreSuppressed()
    {
        await using var services = Build(outbox => outbox.UseSqlite("Data Source=:memory:"), suppress: true);

        var receipt = await services.GetRequiredService<IMailer>().SendMessageAsync(subject: "s", recipients: ["to@example.com"], body: "b");

        Assert.False(services.GetRequiredService<IMailOutbox>().IsEnabled);
        Assert.Equal(MailDisposition.Suppressed, receipt.Disposition);
    }

    private static ServiceProvider Build(Action<OutboxBuilder>? outbox, bool suppress)
    {
        var services = new ServiceCollection();
        services.AddMail(new ConfigurationBuilder().Build(), o =>
        {
            o.Server = "127.0.0.1";
            o.DefaultSender = "from@example.com";
            o.SuppressSend = suppress;
        }).AddOutbox(outbox);
        return services.BuildServiceProvider();
    }
}
