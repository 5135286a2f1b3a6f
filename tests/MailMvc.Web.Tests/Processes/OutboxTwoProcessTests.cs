using System.Globalization;
using System.Net;
using MailMvc.Mail.Tests.Integration;
using MailMvc.Mail.Tests.Outbox;
using MailMvc.Web.Tests.Pages;
using Xunit.Abstractions;

namespace MailMvc.Web.Tests.Processes;

/// <summary>
/// Several machines, one outbox: two app processes deliver from one PostgreSQL database. Each claims batches
/// with FOR UPDATE SKIP LOCKED, so the SMTP server receives every mail exactly once, from both.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class OutboxTwoProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Rows = 2000;

    private readonly PostgresInstances _instances = new("mailmvc-two-", output);
    private SmtpTestServer? _smtp;

    public async Task InitializeAsync()
    {
        await _instances.Database.InitializeAsync();
        // A little time per message, so both instances have mail to claim while the other is busy.
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(2) });
    }

    [Fact]
    public async Task Outbox_TwoAppProcessesOnOnePostgreSql_EveryMailDeliveredExactlyOnceByBoth()
    {
        var smtp = _smtp!;
        var outbox = await _instances.Database.CreateOutboxAsync();
        var one = await StartAppAsync("instance-one.test", outbox);
        var two = await StartAppAsync("instance-two.test", outbox);
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = one.BaseAddress };

        var csv = "name,email\n" + string.Concat(Enumerable.Range(1, Rows).Select(i => $"Person {i},person{i}@example.com\n"));
        using var upload = await client.PostListAsync("people.csv", csv);
        Assert.True(upload.StatusCode == HttpStatusCode.Redirect, $"The upload answered {upload.StatusCode}. App output:\n{one.Output}");
        var jobUrl = upload.Headers.Location!.OriginalString;
        await client.WaitForJobAsync(jobUrl);
        var queued = await OutboxProcessSteps.ReadQueuedMessageIdsAsync(client, jobUrl, Rows);
        await OutboxProcessSteps.WaitUntilAsync(() =>
        {
            var received = smtp.Messages.Count;
            return (received >= Rows, $"it has {received}");
        }, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(90), $"all {Rows} mails", two);

        var messages = smtp.Messages;
        var ids = messages.Select(m => m.MessageId).ToList();
        var byInstance = messages.GroupBy(m => m.ClientName).ToDictionary(g => g.Key ?? "?", g => g.Count());
        output.WriteLine($"{ids.Count} deliveries: {string.Join(", ", byInstance.Select(p => $"{p.Key} {p.Value}"))}");
        Assert.Equal(queued.Order(), ids.Order());
        Assert.Empty(ids.GroupBy(id => id).Where(g => g.Count() > 1).Select(g => g.Key));
        Assert.True(byInstance.GetValueOrDefault("instance-one.test") > 0 && byInstance.GetValueOrDefault("instance-two.test") > 0,
            $"Only one instance delivered: {string.Join(", ", byInstance)}");
    }

    public async Task DisposeAsync()
    {
        await _instances.DisposeAsync();
        if (_smtp is not null)
        {
            await _smtp.DisposeAsync();
        }
    }

    private Task<AppProcess> StartAppAsync(string name, string outbox) =>
        _instances.StartAsync(name, outbox, _smtp!.Port, new Dictionary<string, string>
        {
            ["Mail__Outbox__Connections"] = "2",
            ["Mail__Outbox__BatchSize"] = "10",
        });
}
