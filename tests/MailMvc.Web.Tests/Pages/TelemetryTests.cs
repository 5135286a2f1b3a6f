using System.Diagnostics;
using System.Net;
using MailMvc.Mail.Telemetry;
using MailMvc.Mail.Tests.Integration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MailMvc.Web.Tests.Pages;

/// <summary>
/// OpenTelemetry as the app wires it: with an OTLP endpoint configured, a composed mail makes one trace from the POST
/// through the outbox's worker to the SMTP server (real server, real SQLite outbox; spans caught by OpenTelemetry's
/// in-memory exporter beside the app's own OTLP one), carrying server, outcome, recipient count and Message-ID and no
/// address; without an endpoint, nothing of OpenTelemetry is registered.
/// </summary>
public sealed class TelemetryTests : IDisposable
{
    private static readonly string[] s_addresses = ["ann@example.com", "bob@example.com", "carl@example.com", "dora@example.com"];

    // The outbox's database, for the test that turns the outbox on.
    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-telemetry-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task ComposePost_OutboxOnWithAnOtlpEndpoint_OneTraceFromTheRequestThroughTheWorkerToTheServerWithoutAddresses()
    {
        await using var smtp = await SmtpTestServer.StartAsync();
        var spans = new SpanCollection();
        await using var factory = new MailMvcFactory("Development",
            OutboxAppFixture.Settings(smtp.Port, _directory, new Dictionary<string, string?>
            {
                // Nothing listens there: the app's OTLP exporter fails quietly, the in-memory one below sees everything.
                ["Telemetry:OtlpEndpoint"] = $"http://127.0.0.1:{SmtpTestServer.FindClosedPort()}",
            }),
            services => services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(spans)));
        var client = factory.CreateBrowser();

        var response = await client.PostComposeAsync(new Dictionary<string, string>
        {
            ["To"] = "ann@example.com, bob@example.com",
            ["Cc"] = "carl@example.com",
            ["Bcc"] = "dora@example.com",
            ["Subject"] = "Traced",
            ["Message"] = "From the request to the server.",
        });
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        // Other tests' apps run in this process too, and OpenTelemetry listens process-wide: this mail is told by its Message-ID.
        var sent = await client.GetPageAsync("/compose/sent");
        var messageId = sent.QuerySelector(".sent-message-id")!.TextContent.Trim('<', '>', ' ');
        var send = await WaitForAsync(spans, s => s.OperationName == "mail send" && (string?)s.GetTagItem(MailTelemetry.MessageIdTag) == messageId);

        var received = Assert.Single(smtp.Messages);
        var trace = spans.Snapshot().Where(s => s.TraceId == send.TraceId).ToList();
        var request = Assert.Single(trace, s => s.Kind == ActivityKind.Server);
        Assert.Equal(("POST", "/compose"), ((string?)request.GetTagItem("http.request.method"), (string?)request.GetTagItem("url.path")));
        var queue = Assert.Single(trace, s => s.OperationName == "mail queue");
        var deliver = Assert.Single(trace, s => s.OperationName == "outbox deliver");
        Assert.Equal(request.SpanId, queue.ParentSpanId);
        Assert.Equal(queue.SpanId, deliver.ParentSpanId);
        Assert.Equal(deliver.SpanId, send.ParentSpanId);
        Assert.Equal((received.MessageId, 4, $"127.0.0.1:{smtp.Port}", "delivered"), (
            (string?)send.GetTagItem(MailTelemetry.MessageIdTag), (int?)send.GetTagItem(MailTelemetry.RecipientCountTag),
            (string?)send.GetTagItem(MailTelemetry.ServerTag), (string?)send.GetTagItem(MailTelemetry.OutcomeTag)));
        Assert.Equal((received.MessageId, 4, "sent", 1), (
            (string?)deliver.GetTagItem(MailTelemetry.MessageIdTag), (int?)deliver.GetTagItem(MailTelemetry.RecipientCountTag),
            (string?)deliver.GetTagItem(MailTelemetry.OutcomeTag), (int?)deliver.GetTagItem("mailmvc.outbox.attempt")));
        // MailKit's own spans of the SMTP connection belong to the same trace (the worker's exchange is pipelined, not
        // MailKit's Send, so MailKit has a connect span here and no send span).
        Assert.Contains(trace, s => s.Source.Name == MailTelemetry.MailKitSourceName && s.OperationName == "Connect");
        foreach (var span in trace)
        {
            var words = span.TagObjects.Select(t => $"{t.Key}={t.Value}")
                .Concat(span.Events.SelectMany(e => e.Tags.Select(t => $"{e.Name} {t.Key}={t.Value}")))
                .Append(span.StatusDescription ?? "").Append(span.DisplayName);
            foreach (var address in s_addresses)
            {
                Assert.DoesNotContain(words, w => w.Contains(address, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    [Fact]
    public async Task Start_NoOtlpEndpoint_RegistersNoTracerNorMeterProvider()
    {
        await using var factory = new MailMvcFactory();
        factory.CreateClient();

        Assert.Null(factory.Services.GetService<TracerProvider>());
        Assert.Null(factory.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task Start_OtlpEndpointNotAnAddress_StopsNamingTheSetting()
    {
        var exception = await StartUp.FailsAsync(() => new MailMvcFactory("Development",
            new Dictionary<string, string?> { ["Telemetry:OtlpEndpoint"] = "collector:4317" }));

        Assert.Contains("Telemetry:OtlpEndpoint is 'collector:4317', which is not an http:// or https:// address.", exception.Message, StringComparison.Ordinal);
    }

    private static async Task<Activity> WaitForAsync(SpanCollection spans, Func<Activity, bool> match)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            if (spans.Snapshot().FirstOrDefault(match) is { } found)
            {
                return found;
            }

            Assert.True(DateTime.UtcNow < deadline, $"No such span within 15 s; the spans: {string.Join(", ", spans.Snapshot().Select(s => s.OperationName))}");
            await Task.Delay(50);
        }
    }

    /// <summary>What the in-memory exporter writes to from the app's threads while the test reads.</summary>
    private sealed class SpanCollection : System.Collections.ObjectModel.Collection<Activity>
    {
        private readonly Lock _lock = new();

        public List<Activity> Snapshot()
        {
            lock (_lock)
            {
                return [.. Items];
            }
        }

        protected override void InsertItem(int index, Activity item)
        {
            lock (_lock)
            {
                base.InsertItem(index, item);
            }
        }
    }
}
