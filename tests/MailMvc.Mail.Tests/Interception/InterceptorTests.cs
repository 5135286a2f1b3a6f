using MailMvc.Mail.Interception;
using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Mail.Tests.Interception;

/// <summary>Interceptors against the real SMTP server: the built-in redirect for staging, and interceptors of the
/// user's own registered with <c>AddInterceptor</c>, which may change a message or stop it.</summary>
public sealed class InterceptorTests
{
    [Fact]
    public async Task SendAsync_RedirectToSet_OnlyTheRedirectAddressReceivesItWithTheOriginalsInAHeader()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var options = server.CreateMailOptions();
        options.RedirectTo = "qa@example.com";
        var message = new Message("Your invoice", ["ada@example.com", "bob@example.com"], body: "Hi", cc: ["carol@example.com"],
            bcc: ["dave@example.com"]);

        var receipt = await new Mailer(options).SendAsync(message);

        var received = Assert.Single(server.Messages);
        var mime = received.Parse();
        Assert.Equal(["qa@example.com"], received.RcptTos);
        Assert.Equal(["qa@example.com"], receipt.Recipients);
        Assert.Equal("[Redirected] Your invoice", mime.Subject);
        Assert.Empty(mime.Cc);
        Assert.Equal("ada@example.com, bob@example.com, carol@example.com, dave@example.com", mime.Headers["X-Original-To"]);
    }

    [Fact]
    public async Task SendAsync_InterceptorStopsIt_NothingSentNothingDispatchedAndTheReceiptSaysWhy()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var services = Services(server, mail => mail.AddInterceptor<BlockDomain>());
        var mailer = services.GetRequiredService<IMailer>();
        var dispatched = 0;
        mailer.Dispatched += (_, _) => dispatched++;

        var stopped = await mailer.SendAsync(new Message("Hi", ["eve@blocked.example"], body: "Hi"));
        var sent = await mailer.SendAsync(new Message("Hi", ["ada@example.com"], body: "Hi"));

        Assert.Equal((MailDisposition.Stopped, "blocked.example is blocked"), (stopped.Disposition, stopped.Reason));
        Assert.Equal(MailDisposition.Delivered, sent.Disposition);
        Assert.Equal(["ada@example.com"], Assert.Single(server.Messages).RcptTos);
        Assert.Equal(1, dispatched);
    }

    [Fact]
    public async Task SendAsync_TwoInterceptors_RunInTheOrderAddedAndTheirChangesAreSent()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var services = Services(server, mail => mail.AddInterceptor(new Stamp("first")).AddInterceptor(new Stamp("second")));

        await services.GetRequiredService<IMailer>().SendAsync(new Message("Hi", ["ada@example.com"], body: "Hi"));

        Assert.Equal("first, second", Assert.Single(server.Messages).Parse().Headers["X-Stamp"]);
    }

    [Fact]
    public async Task SendManyAsync_InterceptorStopsSome_TheirResultsSayStoppedAndTheOthersAreSent()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var services = Services(server, mail => mail.AddInterceptor<BlockDomain>());
        var messages = new[] { "a@example.com", "b@blocked.example", "c@example.com" }
            .Select(to => new Message("Hi", [to], body: "Hi")).ToAsyncEnumerable();

        var results = await services.GetRequiredService<IMailer>().SendManyAsync(messages).ToListAsync();

        var stopped = Assert.Single(results, r => !r.IsSent);
        Assert.Equal((MailDisposition.Stopped, null), (stopped.Receipt?.Disposition, stopped.Error));
        Assert.Equal(2, server.Messages.Count);
    }

    [Fact]
    public async Task SendManyAsync_SlowInterceptorAndFourConnections_RunsForSeveralMessagesAtOnceAndSendsEach()
    {
        // Each connection's thread runs the interceptors and builds the mails it sends: an interceptor that waits (a
        // lookup in a remote database, say) holds up one connection, not the whole run.
        await using var server = await SmtpTestServer.StartAsync();
        var slow = new Slow(TimeSpan.FromMilliseconds(50));
        await using var services = Services(server, mail => mail.AddInterceptor(slow));
        var messages = Enumerable.Range(1, 16).Select(i => new Message("Hi", [$"user{i}@example.com"], body: "Hi")).ToAsyncEnumerable();

        var results = await services.GetRequiredService<IMailer>().SendManyAsync(messages, connections: 4).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(16, server.Messages.Count);
        Assert.True(slow.MostAtOnce >= 2, $"the interceptor ran for at most {slow.MostAtOnce} message at a time");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public async Task SendManyAsync_InterceptorsOwnTimeoutOnSomeMessages_ThoseFailAndTheRunSendsTheRest(int connections)
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var services = Services(server, mail => mail.AddInterceptor(new TimesOut("user5")));
        var messages = Enumerable.Range(1, 40).Select(i => new Message("Hi", [$"user{i}@example.com"], body: "Hi")).ToAsyncEnumerable();

        var results = await services.GetRequiredService<IMailer>().SendManyAsync(messages, connections).ToListAsync()
            .AsTask().WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(40, results.Count);
        var failed = results.Where(r => !r.IsSent).ToList();
        Assert.Equal(["user5@example.com"], failed.SelectMany(r => r.Message.Recipients));
        Assert.IsType<TaskCanceledException>(failed[0].Error);
        Assert.Equal(39, server.Messages.Count);
    }

    private static ServiceProvider Services(SmtpTestServer server, Action<MailBuilder> configure)
    {
        var services = new ServiceCollection();
        var options = server.CreateMailOptions();
        configure(services.AddMail(new ConfigurationBuilder().Build(), o =>
        {
            o.Server = options.Server;
            o.Port = options.Port;
            o.DefaultSender = options.DefaultSender;
            o.SuppressSend = false;
            o.DeliveryMethod = MailDeliveryMethod.Smtp;
        }));
        return services.BuildServiceProvider();
    }

    private sealed class BlockDomain : IMailInterceptor
    {
        public ValueTask OnSendingAsync(MailSendingContext context, CancellationToken cancellationToken)
        {
            if (context.Message.SendTo.Any(r => r.EndsWith("@blocked.example", StringComparison.OrdinalIgnoreCase)))
            {
                context.Stop("blocked.example is blocked");
            }

            return ValueTask.CompletedTask;
        }
    }

    private sealed class Stamp(string name) : IMailInterceptor
    {
        public ValueTask OnSendingAsync(MailSendingContext context, CancellationToken cancellationToken)
        {
            var headers = context.Message.ExtraHeaders;
            headers["X-Stamp"] = headers.TryGetValue("X-Stamp", out var before) ? $"{before}, {name}" : name;
            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A lookup of the interceptor's own that times out for one recipient (as an <c>HttpClient</c> timeout
    /// does: a <see cref="TaskCanceledException"/> not of the caller's token).</summary>
    private sealed class TimesOut(string localPart) : IMailInterceptor
    {
        public ValueTask OnSendingAsync(MailSendingContext context, CancellationToken cancellationToken) =>
            context.Message.SendTo.Any(r => r.StartsWith(localPart + "@", StringComparison.Ordinal))
                ? throw new TaskCanceledException("The lookup timed out.")
                : ValueTask.CompletedTask;
    }

    private sealed class Slow(TimeSpan wait) : IMailInterceptor
    {
        private readonly AtOnceCounter _running = new();

        public int MostAtOnce => _running.Most;

        public async ValueTask OnSendingAsync(MailSendingContext context, CancellationToken cancellationToken)
        {
            _running.Enter();
            try
            {
                await Task.Delay(wait, cancellationToken);
            }
            finally
            {
                _running.Exit();
            }
        }
    }
}
