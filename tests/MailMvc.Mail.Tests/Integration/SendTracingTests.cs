using System.Collections.Concurrent;
using System.Diagnostics;
using MailMvc.Mail.Telemetry;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>The <c>mail send</c> span of the container's mailer, against the real SMTP test server: server, outcome,
/// recipient count and Message-ID; addresses only when <see cref="MailTelemetryOptions.IncludeAddresses"/> allows.</summary>
[Collection(TracingListenerCollection.Name)]
public sealed class SendTracingTests : IDisposable
{
    private readonly ConcurrentQueue<Activity> _stopped = new();
    private readonly ActivityListener _listener;

    public SendTracingTests()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == MailTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task SendAsync_AddressesNotAllowed_SpanHasServerOutcomeCountAndMessageIdAndNoAddress()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var services = Services(server.Port, includeAddresses: false);
        var message = new Message("Traced", ["ada@example.com", "bob@example.com"], body: "Hi", bcc: ["cy@example.com"]);

        var span = await SendTracedAsync(services, message);

        Assert.Equal((message.MessageId, 3, $"127.0.0.1:{server.Port}", "delivered"), (
            (string?)span.GetTagItem(MailTelemetry.MessageIdTag), (int?)span.GetTagItem(MailTelemetry.RecipientCountTag),
            (string?)span.GetTagItem(MailTelemetry.ServerTag), (string?)span.GetTagItem(MailTelemetry.OutcomeTag)));
        Assert.DoesNotContain(span.TagObjects, t => $"{t.Value}".Contains("@example.com", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SendAsync_AddressesAllowed_SpanCarriesTheEnvelopeSenderAndRecipients()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var services = Services(server.Port, includeAddresses: true);
        var message = new Message("Traced", ["ada@example.com"], body: "Hi", bcc: ["cy@example.com"]);

        var span = await SendTracedAsync(services, message);

        Assert.Equal(("sender@example.com", "ada@example.com, cy@example.com"),
            ((string?)span.GetTagItem(MailTelemetry.SenderTag), (string?)span.GetTagItem(MailTelemetry.RecipientsTag)));
    }

    [Fact]
    public async Task SendAsync_RecipientRefusedWith550_SpanSaysFailedWithTheErrorTypeAndNoAddress()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { RefuseRecipient = "nobody@example.com" });
        await using var services = Services(server.Port, includeAddresses: false);
        var message = new Message("Refused", ["nobody@example.com"], body: "Hi");

        var span = await SendTracedAsync(services, message, expectFailure: true);

        Assert.Equal(("failed", ActivityStatusCode.Error, typeof(MailRecipientRefusedException).FullName),
            ((string?)span.GetTagItem(MailTelemetry.OutcomeTag), span.Status, (string?)span.GetTagItem("error.type")));
        Assert.DoesNotContain("nobody@example.com", span.StatusDescription ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task SendManyAsync_MailsPipelinedOnOneConnection_OneSpanPerMailEachAChildOfTheCallersSpan()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(100) });
        await using var services = Services(server.Port, includeAddresses: false);
        var messages = Enumerable.Range(1, 4).Select(i => new Message($"Traced {i}", [$"user{i}@example.com"], body: "Hi")).ToList();
        ActivityTraceId trace;
        ActivitySpanId parentSpan;

        using (var parent = new Activity("test").Start())
        {
            (trace, parentSpan) = (parent.TraceId, parent.SpanId);
            var results = await services.GetRequiredService<IMailer>().SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();
            Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        }

        Assert.True(server.Messages.Count(m => m.NextPipelined) >= 2);
        var spans = _stopped.Where(a => a.TraceId == trace && a.OperationName == "mail send").ToList();
        Assert.Equal(messages.Select(m => m.MessageId).Order(), spans.Select(s => (string?)s.GetTagItem(MailTelemetry.MessageIdTag)).Order());
        Assert.All(spans, s => Assert.Equal((parentSpan, "delivered"), (s.ParentSpanId, (string?)s.GetTagItem(MailTelemetry.OutcomeTag))));
    }

    public void Dispose() => _listener.Dispose();

    private static ServiceProvider Services(int port, bool includeAddresses)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddMail(new ConfigurationBuilder().Build(), options =>
        {
            options.Server = "127.0.0.1";
            options.Port = port;
            options.DefaultSender = "sender@example.com";
            options.DeliveryMethod = MailDeliveryMethod.Smtp;
            options.SuppressSend = false;
            options.Timeout = TimeSpan.FromSeconds(5);
            options.Telemetry.IncludeAddresses = includeAddresses;
        });
        return services.BuildServiceProvider();
    }

    /// <summary>Sends inside a parent span of the test's own, and returns the <c>mail send</c> span beneath it.</summary>
    private async Task<Activity> SendTracedAsync(ServiceProvider services, Message message, bool expectFailure = false)
    {
        ActivityTraceId trace;
        using (var parent = new Activity("test").Start())
        {
            trace = parent.TraceId;
            var send = services.GetRequiredService<IMailer>().SendAsync(message);
            if (expectFailure)
            {
                await Assert.ThrowsAnyAsync<MailDeliveryException>(() => send);
            }
            else
            {
                await send;
            }
        }

        return Assert.Single(_stopped, a => a.TraceId == trace && a.OperationName == "mail send");
    }
}
