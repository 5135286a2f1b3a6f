using MailMvc.Mail.Outbox;
using MailMvc.Mail.Suppression;
using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>
/// The suppression list in the outbox's database, end to end against the real SMTP test server: checked before a
/// mail is queued and again at every delivery attempt, filled by "no such user" refusals of bulk mail, and shared by
/// every host on one database. Runs once per database: <see cref="SqliteOutboxSuppressionTests"/> and
/// <see cref="PostgresOutboxSuppressionTests"/>.
/// </summary>
public abstract class OutboxSuppressionTests
{
    private static readonly DateTimeOffset s_unsubscribedAt = new(2026, 5, 1, 9, 12, 0, TimeSpan.Zero);

    private readonly OutboxDatabase _database;

    protected OutboxSuppressionTests(OutboxDatabase database) => _database = database;

    [Fact]
    public async Task SendAsync_RecipientUnsubscribed_ReceiptSuppressedWithDateAndNothingQueuedOrSent()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var host = await StartHostAsync(server.Port, await _database.CreateOutboxAsync());
        await List(host).AddAsync(new SuppressedAddress("Ada@Example.com", SuppressionReason.Unsubscribed, s_unsubscribedAt, "welcome"));

        var suppressed = await host.Mailer.SendAsync(new Message("Hi", ["ada@example.com"], body: "Hi"));
        var queued = await host.Mailer.SendAsync(new Message("Hi", ["bob@example.com"], body: "Hi"));
        await host.WaitUntilSettledAsync(1);

        Assert.Equal(MailDisposition.Suppressed, suppressed.Disposition);
        Assert.Equal("ada@example.com unsubscribed on 2026-05-01 09:12 UTC", suppressed.Reason);
        Assert.Equal(MailDisposition.Queued, queued.Disposition);
        Assert.Equal(["bob@example.com"], Assert.Single(server.Messages).RcptTos);
        Assert.Single(await host.ListAllAsync());
    }

    [Fact]
    public async Task SendAsync_OneOfTwoRecipientsUnsubscribed_OnlyTheOtherGetsIt()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var host = await StartHostAsync(server.Port, await _database.CreateOutboxAsync());
        await List(host).AddAsync(new SuppressedAddress("ada@example.com", SuppressionReason.Unsubscribed, s_unsubscribedAt));

        var receipt = await host.Mailer.SendAsync(new Message("Hi", ["ada@example.com"], body: "Hi", cc: ["bob@example.com"]));
        await host.WaitUntilSettledAsync(1);

        Assert.Equal(MailDisposition.Queued, receipt.Disposition);
        Assert.Equal(["bob@example.com"], receipt.Recipients);
        var received = Assert.Single(server.Messages);
        Assert.Equal(["bob@example.com"], received.RcptTos);
        Assert.DoesNotContain("ada@example.com", received.Data, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Delivery_QueuedBeforeTheUnsubscribe_NotSentAndTheOutboxSaysWhy()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await _database.CreateOutboxAsync();
        var (queuer, services) = OutboxTestHost.CreateEnqueueOnly(_database.Provider, outbox, server.Port);
        await using (services)
        {
            await queuer.SendAsync(new Message("Queued first", ["ada@example.com"], body: "Hi"));
            await queuer.SendAsync(new Message("Queued first", ["bob@example.com"], body: "Hi"));
        }

        await using var host = await StartHostAsync(server.Port, outbox, start: false);
        await List(host).AddAsync(new SuppressedAddress("ada@example.com", SuppressionReason.Unsubscribed, s_unsubscribedAt));
        await host.StartAsync();
        var counts = await host.WaitUntilSettledAsync(2);

        Assert.Equal((1L, 1L), (counts.Sent, counts.Failed));
        Assert.Equal(["bob@example.com"], Assert.Single(server.Messages).RcptTos);
        var held = Assert.Single(await host.Outbox.ListAsync(OutboxStatus.Failed, 10));
        Assert.Equal("Not sent: ada@example.com unsubscribed on 2026-05-01 09:12 UTC.", held.LastReply);
    }

    [Fact]
    public async Task Delivery_BulkMailRefused550NoSuchUser_AddressSuppressedAndTheNextMailIsNotSent()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "nobody@example.com" });
        await using var host = await StartHostAsync(server.Port, await _database.CreateOutboxAsync());
        var bulk = new Message("News", ["nobody@example.com"], body: "Hi");
        bulk.SetListUnsubscribe(new Uri("https://mail.example.com/unsubscribe/token"));

        await host.Mailer.SendAsync(bulk);
        await host.WaitUntilSettledAsync(1);
        var entry = Assert.Single(await List(host).FindAsync(["nobody@example.com"]));
        var next = await host.Mailer.SendAsync(new Message("More news", ["nobody@example.com"], body: "Hi"));

        Assert.Equal(SuppressionReason.UnknownRecipient, entry.Reason);
        Assert.StartsWith("550 5.1.1", entry.Detail, StringComparison.Ordinal);
        Assert.Equal(MailDisposition.Suppressed, next.Disposition);
        Assert.Contains("nobody@example.com refused as an unknown address on", next.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Delivery_OneToOneMailRefused550NoSuchUser_AddressNotSuppressedByDefault()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "nobody@example.com" });
        await using var host = await StartHostAsync(server.Port, await _database.CreateOutboxAsync());

        await host.Mailer.SendAsync(new Message("Your invoice", ["nobody@example.com"], body: "Hi"));
        var counts = await host.WaitUntilSettledAsync(1);

        Assert.Equal(1L, counts.Failed);
        Assert.Empty(await List(host).FindAsync(["nobody@example.com"]));
    }

    [Fact]
    public async Task TwoHosts_SuppressedThroughOne_TheOtherSkipsItIncludingMailQueuedBefore()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await _database.CreateOutboxAsync();
        // One host queues first, and no worker delivers yet; the other is where the person unsubscribes.
        await using var sender = await StartHostAsync(server.Port, outbox, start: false);
        await using var unsubscribePage = await StartHostAsync(server.Port, outbox, start: false);
        var queuedBefore = await sender.Mailer.SendAsync(new Message("Queued first", ["ada@example.com"], body: "Hi"));

        await List(unsubscribePage).AddAsync(new SuppressedAddress("ada@example.com", SuppressionReason.Unsubscribed, s_unsubscribedAt));
        var sentAfter = await sender.Mailer.SendAsync(new Message("After", ["ada@example.com"], body: "Hi"));
        await sender.StartAsync();
        var counts = await sender.WaitUntilSettledAsync(1);

        Assert.Equal(MailDisposition.Queued, queuedBefore.Disposition);
        Assert.Equal(MailDisposition.Suppressed, sentAfter.Disposition);
        Assert.Equal((0L, 1L), (counts.Sent, counts.Failed));
        Assert.Empty(server.Messages);
    }

    [Fact]
    public async Task Delivery_ListQueuedBeforeOneOfItUnsubscribed_ARunCheckedInOneLookupAndOnlyThatMailHeldBack()
    {
        // Twenty mails queued while no worker runs, then one of their addresses unsubscribes. The worker sends the first
        // alone (it opens the connection) and the rest in a pipelined run, whose recipients it checks in one lookup
        // (before: a lookup a mail, 20), still holding back the one mail.
        await using var server = await SmtpTestServer.StartAsync();
        CountingSuppressionList? counting = null;
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            o => o.Connections = 1, suppressionList: true, start: false, services: services =>
            {
                var builtIn = services.Single(d => d.ServiceType == typeof(ISuppressionList));
                services.Replace(ServiceDescriptor.Singleton<ISuppressionList>(provider =>
                    counting = new CountingSuppressionList((ISuppressionList)builtIn.ImplementationFactory!(provider))));
            });
        foreach (var i in Enumerable.Range(1, 20))
        {
            var receipt = await host.Mailer.SendAsync(new Message($"Welcome {i}", [$"reader{i}@example.com"], body: "Hi"));
            Assert.Equal(MailDisposition.Queued, receipt.Disposition);
        }

        await List(host).AddAsync(new SuppressedAddress("reader12@example.com", SuppressionReason.Unsubscribed, s_unsubscribedAt));
        var lookupsBefore = counting!.Lookups;

        await host.StartAsync();
        var counts = await host.WaitUntilSettledAsync(20);

        Assert.Equal((19L, 1L), (counts.Sent, counts.Failed));
        Assert.Equal(19, server.Messages.Count);
        Assert.DoesNotContain(server.Messages, m => m.RcptTos.Contains("reader12@example.com"));
        var heldBack = Assert.Single(await host.ListAllAsync(), e => e.Status == OutboxStatus.Failed);
        Assert.Equal("Not sent: reader12@example.com unsubscribed on 2026-05-01 09:12 UTC.", heldBack.LastReply);
        Assert.InRange(counting.Lookups - lookupsBefore, 1, 4);
    }

    private static ISuppressionList List(OutboxTestHost host) => host.Services.GetRequiredService<ISuppressionList>();

    private Task<OutboxTestHost> StartHostAsync(int smtpPort, string outbox, bool start = true) =>
        OutboxTestHost.StartAsync(_database.Provider, outbox, smtpPort, suppressionList: true, start: start);
}
