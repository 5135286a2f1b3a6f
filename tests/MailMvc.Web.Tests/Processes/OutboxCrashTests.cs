using System.Globalization;
using System.Net;
using MailMvc.Mail.Tests.Integration;
using MailMvc.Web.Tests.Pages;
using Xunit.Abstractions;

namespace MailMvc.Web.Tests.Processes;

/// <summary>
/// The outbox's promise, tested on the real app as a process: a list is queued, the process is killed (SIGKILL)
/// while the mails are being delivered, and a new process on the same outbox file delivers the rest. Every mail
/// arrives; a mail arrives twice only if it was in flight at the kill.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class OutboxCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rows = 1000;
    private const int Connections = 1;

    // The server holds each message this long, so delivering the list takes seconds and the kill lands mid-way.
    private static readonly TimeSpan s_messageDelay = TimeSpan.FromMilliseconds(5);
    private static readonly TimeSpan s_deliveryTimeout = TimeSpan.FromSeconds(45);

    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-crash-").FullName;
    private readonly List<AppProcess> _apps = [];
    private SmtpTestServer? _smtp;

    public async Task InitializeAsync() =>
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = s_messageDelay });

    [Fact]
    public async Task Outbox_AppKilledDuringDelivery_RestartDeliversEveryMailDuplicatingOnlyThoseInFlight()
    {
        var smtp = _smtp!;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var first = await StartAppAsync();
        // As a browser: cookies kept (the antiforgery one), redirects seen rather than followed.
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = first.BaseAddress };
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: first app listens on {first.BaseAddress}");

        var csv = "name,email\n" + string.Concat(Enumerable.Range(1, Rows).Select(i => $"Person {i},person{i}@example.com\n"));
        using var upload = await client.PostListAsync("people.csv", csv);
        Assert.True(upload.StatusCode == HttpStatusCode.Redirect, $"The upload answered {upload.StatusCode}. App output:\n{first.Output}");
        var jobUrl = upload.Headers.Location!.OriginalString;
        var status = await client.WaitForJobAsync(jobUrl);
        Assert.True(status.GetProperty("queued").GetInt32() == Rows, $"Not every row was queued: {status}");
        var queued = await OutboxProcessSteps.ReadQueuedMessageIdsAsync(client, jobUrl, Rows);
        var receivedWhenQueued = smtp.Messages.Count;
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: all {Rows} queued; the server has {receivedWhenQueued}");

        // Kill during delivery: the list is fully queued, the server has some of it but not all.
        var receivedAtKill = 0;
        await OutboxProcessSteps.WaitUntilAsync(() =>
        {
            receivedAtKill = smtp.Messages.Count;
            return (receivedAtKill >= 10, $"it has {receivedAtKill}");
        }, TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(20), "the first deliveries", first);
        Assert.True(receivedAtKill < Rows,
            $"Delivery finished before the kill ({receivedAtKill} received): the server's delay per message ({s_messageDelay.TotalMilliseconds} ms) is too short for this machine.");
        await first.KillAsync();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: killed with {receivedAtKill} received");

        var beforeRestart = OutboxProcessSteps.MessageIds(smtp);
        var second = await StartAppAsync();
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: second app listens on {second.BaseAddress}, the server had {beforeRestart.Count} before it");
        await OutboxProcessSteps.WaitUntilAsync(() =>
        {
            var missing = queued.Except(OutboxProcessSteps.MessageIds(smtp)).Count();
            return (missing == 0, $"{missing} still missing");
        }, TimeSpan.FromMilliseconds(250), s_deliveryTimeout, $"all {Rows} mails", second);
        output.WriteLine($"{clock.Elapsed.TotalSeconds:0.0} s: the server has every mail");

        var received = OutboxProcessSteps.MessageIds(smtp);
        Assert.Empty(queued.Except(received));
        Assert.Empty(received.Except(queued));
        var duplicates = received.GroupBy(id => id).Where(g => g.Count() > 1).ToDictionary(g => g.Key, g => g.Count() - 1);
        output.WriteLine($"{received.Count} deliveries of {queued.Count} mails; duplicated: {(duplicates.Count == 0 ? "none" : string.Join(", ", duplicates.Keys))}");
        Assert.True(duplicates.Values.Sum() <= Connections,
            $"{duplicates.Values.Sum()} duplicate deliveries, more than the {Connections} connection(s) that can have a mail in flight: {string.Join(", ", duplicates.Keys)}");
        var inFlight = beforeRestart.TakeLast(Connections).ToHashSet();
        Assert.All(duplicates.Keys, id => Assert.True(inFlight.Contains(id),
            $"<{id}> arrived twice but was not among the last {Connections} mail(s) the server had received when the app was killed."));
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps)
        {
            await app.DisposeAsync();
        }

        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }

        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test over.
        }
    }

    private async Task<AppProcess> StartAppAsync()
    {
        var app = await AppProcess.StartAsync(OutboxProcessSteps.Environment(_smtp!.Port, _directory, new Dictionary<string, string>
        {
            ["Mail__Outbox__ConnectionString"] = $"Data Source={Path.Combine(_directory, "outbox.db")}",
            ["Mail__Outbox__Connections"] = Connections.ToString(CultureInfo.InvariantCulture),
        }), _directory);
        _apps.Add(app);
        return app;
    }
}
