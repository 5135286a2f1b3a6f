using MailMvc.Mail.Outbox;
using MailMvc.Mail.Suppression;
using MailMvc.Mail.Tests.Integration;
using MailMvc.Mail.Tests.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailMvc.Mail.Tests.Suppression;

/// <summary>The suppression list without the outbox: a SQLite file of its own, checked before every direct send to the
/// real SMTP test server, surviving a restart of the app.</summary>
public sealed class SuppressionListWithoutOutboxTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("mailmvc-suppression-").FullName;

    [Fact]
    public async Task SendAsync_AddressRemovedAfterAnUnsubscribe_SuppressedThenDeliveredAndTheListSurvivesARestart()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using (var first = Services(server.Port))
        {
            await first.GetRequiredService<ISuppressionList>().AddAsync(
                new SuppressedAddress("ada@example.com", SuppressionReason.Unsubscribed, DateTimeOffset.UtcNow, "welcome"));
        }

        await using var restarted = Services(server.Port);
        var mailer = restarted.GetRequiredService<IMailer>();
        var list = restarted.GetRequiredService<ISuppressionList>();

        var suppressed = await mailer.SendAsync(new Message("Hi", ["ADA@example.com"], body: "Hi"));
        var receivedWhileSuppressed = server.Messages.Count;
        var removed = await list.RemoveAsync("Ada@Example.com");
        var delivered = await mailer.SendAsync(new Message("Hi", ["ada@example.com"], body: "Hi"));

        Assert.Equal(MailDisposition.Suppressed, suppressed.Disposition);
        Assert.StartsWith("ada@example.com unsubscribed on ", suppressed.Reason, StringComparison.Ordinal);
        Assert.Equal(0, receivedWhileSuppressed);
        Assert.True(removed);
        Assert.Equal(MailDisposition.Delivered, delivered.Disposition);
        Assert.Equal(["ada@example.com"], Assert.Single(server.Messages).RcptTos);
        Assert.True(File.Exists(Path.Combine(_folder, "suppressions.db")));
    }

    [Fact]
    public async Task SendAsync_UnsubscribedThroughAnotherInstanceAfterAMailWent_NextMailSuppressed()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var sending = Services(server.Port);
        await using var other = Services(server.Port);
        var mailer = sending.GetRequiredService<IMailer>();

        // The sending instance has looked the address up (its lookups keep a connection open) before the other
        // instance, sharing the file, takes the unsubscribe.
        var first = await mailer.SendAsync(new Message("Hi", ["ada@example.com"], body: "Hi"));
        await other.GetRequiredService<ISuppressionList>().AddAsync(
            new SuppressedAddress("ada@example.com", SuppressionReason.Unsubscribed, DateTimeOffset.UtcNow, "welcome"));
        var second = await mailer.SendAsync(new Message("Hi again", ["ada@example.com"], body: "Hi"));

        Assert.Equal(MailDisposition.Delivered, first.Disposition);
        Assert.Equal(MailDisposition.Suppressed, second.Disposition);
        Assert.Equal("Hi", Assert.Single(server.Messages).Parse().Subject);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task SendManyAsync_ListWithOneUnsubscribedAddress_LookedUpSeveralAtATimeAndOnlyThatMailSuppressed(int connections)
    {
        // A bulk send checks the next few mails' recipients in one lookup (before: one a mail, 40), and each mail's check
        // still finds its own address.
        await using var server = await SmtpTestServer.StartAsync();
        CountingSuppressionList? counting = null;
        await using var services = Services(server.Port, Counted(list => counting = new CountingSuppressionList(list)));
        await services.GetRequiredService<ISuppressionList>().AddAsync(
            new SuppressedAddress("reader17@example.com", SuppressionReason.Unsubscribed, DateTimeOffset.UtcNow, "welcome"));
        var lookupsBefore = counting!.Lookups;
        var list = Enumerable.Range(1, 40).Select(i => new Message($"Welcome {i}", [$"Reader{i}@example.com"], body: "Hi")).ToList();

        var results = await services.GetRequiredService<IMailer>().SendManyAsync(list.ToAsyncEnumerable(), connections).ToListAsync();

        var suppressed = Assert.Single(results, r => r.Receipt?.Disposition == MailDisposition.Suppressed);
        Assert.Equal("Welcome 17", suppressed.Message.Subject);
        Assert.StartsWith("reader17@example.com unsubscribed on ", suppressed.Receipt!.Reason, StringComparison.Ordinal);
        Assert.Equal(39, results.Count(r => r.Receipt?.Disposition == MailDisposition.Delivered));
        Assert.Equal(39, server.Messages.Count);
        Assert.InRange(counting.Lookups - lookupsBefore, 1, 20);
    }

    [Fact]
    public async Task SendManyAsync_UnsubscribedThroughAnotherInstanceBetweenTwoLists_SecondListSuppressesIt()
    {
        // A bulk send reads several addresses in one read transaction of the list's file: it must end with the lookup,
        // or the next list would be checked against what the file held then.
        await using var server = await SmtpTestServer.StartAsync();
        await using var sending = Services(server.Port);
        await using var other = Services(server.Port);
        var mailer = sending.GetRequiredService<IMailer>();
        List<Message> List(string subject) =>
            [.. Enumerable.Range(1, 20).Select(i => new Message($"{subject} {i}", [$"Reader {i} <reader{i}@example.com>"], body: "Hi"))];

        var first = await mailer.SendManyAsync(List("First").ToAsyncEnumerable()).ToListAsync();
        await other.GetRequiredService<ISuppressionList>().AddAsync(
            new SuppressedAddress("READER5@example.com", SuppressionReason.Unsubscribed, DateTimeOffset.UtcNow, "welcome"));
        var second = await mailer.SendManyAsync(List("Second").ToAsyncEnumerable()).ToListAsync();

        Assert.All(first, r => Assert.Equal(MailDisposition.Delivered, r.Receipt?.Disposition));
        Assert.Equal("Second 5", Assert.Single(second, r => r.Receipt?.Disposition == MailDisposition.Suppressed).Message.Subject);
        Assert.Equal(39, server.Messages.Count);
    }

    [Fact]
    public async Task SendManyAsync_RedirectedToAnUnsubscribedAddress_EveryMailSuppressedThoughItsOwnRecipientsWereNot()
    {
        // Mail:RedirectTo's interceptor runs before the suppression list's and changes every mail's recipients after the
        // look-ahead checked the list's own: each mail's check then looks up the address it really goes to.
        await using var server = await SmtpTestServer.StartAsync();
        CountingSuppressionList? counting = null;
        await using var services = Services(server.Port, Counted(list => counting = new CountingSuppressionList(list)),
            configure: options => options.RedirectTo = "qa@example.com");
        await services.GetRequiredService<ISuppressionList>().AddAsync(
            new SuppressedAddress("qa@example.com", SuppressionReason.Unsubscribed, DateTimeOffset.UtcNow, "staging"));
        var lookupsBefore = counting!.Lookups;
        var list = Enumerable.Range(1, 20).Select(i => new Message($"Welcome {i}", [$"reader{i}@example.com"], body: "Hi")).ToList();

        var results = await services.GetRequiredService<IMailer>().SendManyAsync(list.ToAsyncEnumerable(), connections: 2).ToListAsync();

        Assert.Equal(20, results.Count(r => r.Receipt?.Disposition == MailDisposition.Suppressed));
        Assert.All(results, r => Assert.StartsWith("qa@example.com unsubscribed on ", r.Receipt!.Reason, StringComparison.Ordinal));
        Assert.Empty(server.Messages);
        // The look-ahead did run (a lookup for several mails), and each mail then looked up the address it goes to.
        Assert.InRange(counting.Lookups - lookupsBefore, 21, 40);
    }

    [Fact]
    public async Task SendManyAsync_ListTimesOutOnTheLookAheadsLookup_EachMailChecksItsOwnAndTheListIsSent()
    {
        // A list whose lookups of many addresses time out (its own cancellation, not the caller's): the look-ahead is
        // only a shortcut, so each mail then looks up its own recipients (before: the time-out ended the whole send).
        await using var server = await SmtpTestServer.StartAsync();
        await using var services = Services(server.Port, Counted(list => new TimingOutOnManyList(list)));
        await services.GetRequiredService<ISuppressionList>().AddAsync(
            new SuppressedAddress("reader7@example.com", SuppressionReason.Unsubscribed, DateTimeOffset.UtcNow, "welcome"));
        var list = Enumerable.Range(1, 20).Select(i => new Message($"Welcome {i}", [$"reader{i}@example.com"], body: "Hi")).ToList();

        var results = await services.GetRequiredService<IMailer>().SendManyAsync(list.ToAsyncEnumerable(), connections: 2).ToListAsync();

        Assert.Equal("Welcome 7", Assert.Single(results, r => r.Receipt?.Disposition == MailDisposition.Suppressed).Message.Subject);
        Assert.Equal(19, results.Count(r => r.Receipt?.Disposition == MailDisposition.Delivered));
        Assert.Equal(19, server.Messages.Count);
    }

    [Fact]
    public async Task FindAsync_SeveralAddressesAfterAnotherInstanceAddedOne_FindsIt()
    {
        // A lookup of several addresses is one read transaction of the file: the next lookup reads what was committed
        // since, and the kept connection takes another transaction without complaint.
        await using var looking = Services(SmtpTestServer.FindClosedPort());
        await using var other = Services(SmtpTestServer.FindClosedPort());
        var list = looking.GetRequiredService<ISuppressionList>();

        var before = await list.FindAsync(["ada@example.com", "bob@example.com", "carol@example.com"]);
        await other.GetRequiredService<ISuppressionList>().AddAsync(
            new SuppressedAddress("bob@example.com", SuppressionReason.Unsubscribed, DateTimeOffset.UtcNow));
        var after = await list.FindAsync(["ada@example.com", "BOB@example.com", "carol@example.com"]);

        Assert.Empty(before);
        Assert.Equal("bob@example.com", Assert.Single(after).Address);
    }

    [Fact]
    public async Task ListAsync_Search_FindsByPartOfTheAddressNewestFirstAndTakesLikeCharactersLiterally()
    {
        await using var services = Services(SmtpTestServer.FindClosedPort());
        var list = services.GetRequiredService<ISuppressionList>();
        var start = DateTimeOffset.UtcNow;
        await list.AddAsync(new SuppressedAddress("ada@example.com", SuppressionReason.Unsubscribed, start));
        await list.AddAsync(new SuppressedAddress("bob_smith@example.com", SuppressionReason.Manual, start.AddMinutes(1), "asked by phone"));
        await list.AddAsync(new SuppressedAddress("bobxsmith@example.org", SuppressionReason.UnknownRecipient, start.AddMinutes(2)));
        var again = await list.AddAsync(new SuppressedAddress("ADA@example.com", SuppressionReason.Manual, start.AddMinutes(3)));

        var all = await list.ListAsync(null, 10);
        var underscore = await list.ListAsync("B_SMITH", 10);

        Assert.False(again);
        Assert.Equal(["bobxsmith@example.org", "bob_smith@example.com", "ada@example.com"], all.Select(e => e.Address));
        var entry = Assert.Single(underscore);
        Assert.Equal(("bob_smith@example.com", SuppressionReason.Manual, "asked by phone"), (entry.Address, entry.Reason, entry.Detail));
        Assert.Equal(SuppressionReason.Unsubscribed, all[^1].Reason);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>A list whose lookups of more than one address time out (a cancellation of its own).</summary>
    private sealed class TimingOutOnManyList(ISuppressionList inner) : ISuppressionList
    {
        public Task<IReadOnlyList<SuppressedAddress>> FindAsync(IReadOnlyCollection<string> addresses, CancellationToken cancellationToken = default) =>
            addresses.Count > 1 ? throw new OperationCanceledException("The suppression list's lookup timed out.") : inner.FindAsync(addresses, cancellationToken);

        public Task<bool> AddAsync(SuppressedAddress entry, CancellationToken cancellationToken = default) => inner.AddAsync(entry, cancellationToken);

        public Task<bool> RemoveAsync(string address, CancellationToken cancellationToken = default) => inner.RemoveAsync(address, cancellationToken);

        public Task<IReadOnlyList<SuppressedAddress>> ListAsync(string? search, int limit, CancellationToken cancellationToken = default) =>
            inner.ListAsync(search, limit, cancellationToken);
    }

    /// <summary>Replaces the registered suppression list with <paramref name="wrap"/> of it.</summary>
    private static Action<IServiceCollection> Counted(Func<ISuppressionList, ISuppressionList> wrap) => collection =>
    {
        var builtIn = collection.Single(d => d.ServiceType == typeof(ISuppressionList));
        collection.Replace(ServiceDescriptor.Singleton(provider => wrap((ISuppressionList)builtIn.ImplementationFactory!(provider))));
    };

    private ServiceProvider Services(int smtpPort, Action<IServiceCollection>? replace = null, Action<MailOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Suppression:DatabasePath"] = Path.Combine(_folder, "suppressions.db") })
            .Build();
        services.AddMail(configuration, options =>
        {
            options.Server = "127.0.0.1";
            options.Port = smtpPort;
            options.DefaultSender = "sender@example.com";
            options.DeliveryMethod = MailDeliveryMethod.Smtp;
            options.SuppressSend = false;
            options.Timeout = TimeSpan.FromSeconds(2);
            configure?.Invoke(options);
        }).AddSuppressionList();
        replace?.Invoke(services);
        return services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true });
    }
}
