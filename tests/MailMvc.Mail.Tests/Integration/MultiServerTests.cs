using MailMvc.Mail.Transport;
using Microsoft.Extensions.Time.Testing;

namespace MailMvc.Mail.Tests.Integration;

/// <summary><see cref="MailOptions.Servers"/> against real SMTP servers on loopback: failover, the cool-down, round-robin,
/// and a refused recipient that stays refused.</summary>
public sealed class MultiServerTests
{
    [Fact]
    public async Task SendAsync_FirstServerDown_SecondDeliversAndTheReceiptNamesIt()
    {
        await using var second = await SmtpTestServer.StartAsync();
        var options = Options(second, SmtpTestServer.FindClosedPort(), second.Port);

        var receipt = await new Mailer(options).SendAsync(Mail(1));

        Assert.Equal($"127.0.0.1:{second.Port}", receipt.Server);
        Assert.Single(second.Messages);
    }

    [Fact]
    public async Task SendAsync_FirstServerBackAfterTheCooldown_UsedAgain()
    {
        // The cool-down runs on a clock of the test's own: restarting a server takes real time that a loaded machine can
        // stretch past any short cool-down, which would make the mail sent within it go to the first server.
        await using var first = await SmtpTestServer.StartAsync();
        await using var second = await SmtpTestServer.StartAsync();
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var cooldown = TimeSpan.FromMinutes(1);
        await using var transport = new MultiServerTransport(
            [new SmtpMailTransport(first.CreateMailOptions()), new SmtpMailTransport(second.CreateMailOptions())],
            ServerStrategy.Failover, cooldown, clock);
        var mailer = new Mailer(first.CreateMailOptions(), transport);

        await first.StopAsync();
        var duringOutage = await mailer.SendAsync(Mail(1));
        await first.RestartAsync();
        var withinCooldown = await mailer.SendAsync(Mail(2));
        clock.Advance(cooldown + TimeSpan.FromSeconds(1));
        var afterCooldown = await mailer.SendAsync(Mail(3));

        Assert.Equal($"127.0.0.1:{second.Port}", duringOutage.Server);
        Assert.Equal($"127.0.0.1:{second.Port}", withinCooldown.Server);
        Assert.Equal($"127.0.0.1:{first.Port}", afterCooldown.Server);
        Assert.Equal(["Mail 3"], first.Messages.Select(m => m.Parse().Subject));
    }

    [Fact]
    public async Task SendManyAsync_RoundRobinOverTwoServers_ThousandMailsSplitEvenly()
    {
        await using var first = await SmtpTestServer.StartAsync();
        await using var second = await SmtpTestServer.StartAsync();
        var options = Options(first, first.Port, second.Port);
        options.ServerStrategy = ServerStrategy.RoundRobin;
        options.MaxEmails = 50;

        var results = await new Mailer(options).SendManyAsync(Enumerable.Range(1, 1000).Select(Mail).ToAsyncEnumerable(), connections: 2).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent));
        Assert.Equal(1000, first.Messages.Count + second.Messages.Count);
        Assert.InRange(first.Messages.Count, 400, 600);
    }

    [Fact]
    public async Task SendAsync_RecipientRefusedByTheFirstServer_NotTriedOnTheSecond()
    {
        await using var first = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "nobody@example.com" });
        await using var second = await SmtpTestServer.StartAsync();
        var mailer = new Mailer(Options(first, first.Port, second.Port));

        var error = await Assert.ThrowsAsync<MailRecipientRefusedException>(
            () => mailer.SendAsync(new Message("Hi", ["nobody@example.com"], body: "Hi")));

        Assert.Equal("nobody@example.com", error.Recipient);
        Assert.Empty(second.Messages);
        Assert.Equal(0, second.ConnectionCount);
    }

    [Fact]
    public async Task SendAsync_EveryServerDown_OneErrorNamingEach()
    {
        var options = new MailOptions
        {
            DefaultSender = "app@example.com",
            Servers = [new() { Server = "127.0.0.1", Port = SmtpTestServer.FindClosedPort() }, new() { Server = "127.0.0.1", Port = SmtpTestServer.FindClosedPort() }],
        };

        var error = await Assert.ThrowsAsync<MailDeliveryException>(() => new Mailer(options).SendAsync(Mail(1)));

        Assert.StartsWith("None of the 2 mail servers could be used:", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsConnectionFailure);
    }

    private static MailOptions Options(SmtpTestServer template, int firstPort, int secondPort)
    {
        var options = template.CreateMailOptions();
        options.Servers = [new() { Server = "127.0.0.1", Port = firstPort }, new() { Server = "127.0.0.1", Port = secondPort }];
        return options;
    }

    private static Message Mail(int i) => new($"Mail {i}", [$"user{i}@example.com"], body: "Hi");
}
