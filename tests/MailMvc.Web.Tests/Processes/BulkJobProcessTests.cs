using System.Globalization;
using System.Net;
using System.Text;
using MailMvc.Mail.Tests.Integration;
using MailMvc.Web.Tests.Pages;
using Xunit.Abstractions;

namespace MailMvc.Web.Tests.Processes;

/// <summary>Bulk lists on the real app as a process: a list survives a SIGKILL and carries on after the restart, and
/// the app's peak memory (VmHWM, read from /proc) stays flat for a 50 MB upload and a 100,000-row list.</summary>
[Collection(ProcessCollection.Name)]
public sealed class BulkJobProcessTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const int Connections = 2;
    private const int RowsInFlight = 4;
    private const long PeakLimitBytes = 250L * 1024 * 1024;

    private readonly string _directory = Directory.CreateTempSubdirectory("mailmvc-bulk-process-").FullName;
    private readonly List<AppProcess> _apps = [];
    private SmtpTestServer? _smtp;

    public async Task InitializeAsync() =>
        _smtp = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(5) });

    [Fact]
    public async Task BulkList_AppKilledMidList_RestartContinuesTheSameJobAndEveryRowArrivesDuplicatesBoundedByTheRowsInFlight()
    {
        const int Rows = 2000;
        var smtp = _smtp!;
        var first = await StartAppAsync(new() { ["Mail__Outbox__Enabled"] = "false" });
        var cookies = new CookieContainer();
        using var client = Client(first, cookies);
        var csv = "name,email\n" + string.Concat(Enumerable.Range(1, Rows).Select(i => $"Person {i},person{i}@example.com\n"));
        using var upload = await client.PostListAsync("people.csv", csv);
        Assert.True(upload.StatusCode == HttpStatusCode.Redirect, $"The upload answered {upload.StatusCode}. App output:\n{first.Output}");
        var jobUrl = upload.Headers.Location!.OriginalString;

        await OutboxProcessSteps.WaitUntilAsync(() => (smtp.Messages.Count >= 200, $"{smtp.Messages.Count} received"),
            TimeSpan.FromMilliseconds(20), TimeSpan.FromSeconds(30), "the first 200 mails", first);
        await first.KillAsync();
        var atKill = smtp.Messages.Count;
        output.WriteLine($"killed with {atKill} of {Rows} received");
        Assert.True(atKill < Rows, "The list was done before the kill; slow the server down.");

        var second = await StartAppAsync(new() { ["Mail__Outbox__Enabled"] = "false" });
        using var again = Client(second, cookies);
        var page = await again.GetPageAsync(jobUrl);
        Assert.Contains("people.csv", page.QuerySelector("h1")?.TextContent, StringComparison.Ordinal);
        var status = await again.WaitForJobAsync(jobUrl);

        Assert.Equal(Rows, status.Count("sent"));
        var received = smtp.Messages.SelectMany(m => m.RcptTos).ToList();
        var expected = Enumerable.Range(1, Rows).Select(i => $"person{i}@example.com").ToHashSet();
        Assert.Empty(expected.Except(received));
        var duplicates = received.GroupBy(r => r).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        output.WriteLine($"{received.Count} deliveries of {Rows} rows; sent twice: {(duplicates.Count == 0 ? "none" : string.Join(", ", duplicates))}");
        Assert.True(duplicates.Count <= Connections * RowsInFlight,
            $"{duplicates.Count} rows sent twice, more than the {Connections * RowsInFlight} rows in flight ({Connections} connections × {RowsInFlight}).");
        var ids = smtp.Messages.Select(m => m.MessageId ?? m.Parse().MessageId).ToList();
        Assert.All(ids, id => Assert.StartsWith("bulk.", id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task BulkList_FiftyMegabyteCellAndHundredThousandRows_PeakWorkingSetUnder250MB()
    {
        // As in production: templates compiled at build time (Development compiles them in the app, which alone takes the
        // peak past 200 MB), the sending pages opened for anyone.
        var production = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["Sending__AllowAnonymous"] = "true",
            ["EmailTemplates__CompiledTemplatesPath"] = Path.Combine(_directory, "compiled-templates"),
            ["Mail__Outbox__Enabled"] = "false",
            ["Mail__SuppressSend"] = "true",
            ["EmailTemplates__BaseUrl"] = "https://mail.example.test/",
            ["RateLimits__Sending__RecipientsPerMinute"] = "1000000",
            ["RateLimits__Sending__RecipientsPerDay"] = "1000000",
        };
        var (exitCode, precompiled) = await AppProcess.RunToExitAsync([MailMvc.Templates.EmailTemplatePrecompiler.Command], production, _directory);
        Assert.True(exitCode == 0, precompiled);
        var app = await StartAppAsync(production);
        using var client = Client(app, new CookieContainer());
        // A small list first: what the first list costs (code compiled, templates loaded) is not the big cell's.
        using (var small = await client.PostListAsync("small.csv", "name,email\nAda,ada@example.com\n"))
        {
            await client.WaitForJobAsync(small.Headers.Location!.OriginalString);
            await client.GetPageAsync(small.Headers.Location!.OriginalString);
        }

        var started = PeakBytes(app);

        var cell = "name,email\n\"" + new string('x', 50 * 1024 * 1024) + "\",big@example.com\nEve,eve@example.com\n";
        using (var upload = await client.PostListAsync("big-cell.csv", cell))
        {
            Assert.Equal(HttpStatusCode.Redirect, upload.StatusCode);
            var status = await client.WaitForJobAsync(upload.Headers.Location!.OriginalString);
            Assert.Equal(1, status.Count("invalid"));
            Assert.Equal(1, status.Count("sent"));
            await client.GetPageAsync(upload.Headers.Location!.OriginalString);
        }

        var afterCell = PeakBytes(app);
        var list = new StringBuilder("name,email\n");
        for (var i = 1; i <= 100_000; i++)
        {
            list.Append(CultureInfo.InvariantCulture, $"Person {i},person{i}@example.com\n");
        }

        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var checkedList = await client.CheckListAsync("hundred-thousand.csv", list.ToString());
        var jobUrl = checkedList.Headers.Location!.OriginalString;
        output.WriteLine($"100,000 rows read and checked in {clock.Elapsed.TotalSeconds:0.0} s");
        await client.PostJobAsync(jobUrl, "start");
        await client.WaitForStatusAsync(jobUrl, s => s.Count("sent") >= 5000, "5,000 rows sent");
        clock.Restart();
        using (var response = await client.GetAsync(jobUrl + "?page=500"))
        {
            var html = await response.Content.ReadAsStringAsync();
            output.WriteLine($"page 500 of the running list: {clock.Elapsed.TotalMilliseconds:0} ms, {html.Length / 1024} KB of HTML");
            Assert.True(html.Length < 200 * 1024, $"The page is {html.Length / 1024} KB.");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"The page took {clock.Elapsed.TotalMilliseconds:0} ms.");
        }

        clock.Restart();
        using (var csv = await client.GetAsync(jobUrl + "/results.csv", HttpCompletionOption.ResponseHeadersRead))
        {
            await using var body = await csv.Content.ReadAsStreamAsync();
            await body.CopyToAsync(Stream.Null);
        }

        output.WriteLine($"results.csv streamed in {clock.Elapsed.TotalMilliseconds:0} ms");
        var status100k = await client.GetStatusAsync(jobUrl);
        await client.PostJobAsync(jobUrl, "cancel");
        var peak = PeakBytes(app);
        output.WriteLine($"VmHWM: {started / 1048576} MB after a first small list, {afterCell / 1048576} MB after the 50 MB cell, {peak / 1048576} MB after 100,000 rows (read, paged, {status100k.Count("sent")} sent, CSV)");
        Assert.True(afterCell < PeakLimitBytes, $"The 50 MB cell took the peak to {afterCell / 1048576} MB.");
        Assert.True(peak < PeakLimitBytes, $"The 100,000-row list took the peak to {peak / 1048576} MB.");
    }

    private static long PeakBytes(AppProcess app)
    {
        var line = File.ReadLines($"/proc/{app.Id}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static HttpClient Client(AppProcess app, CookieContainer cookies) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies }) { BaseAddress = app.BaseAddress, Timeout = TimeSpan.FromMinutes(2) };

    private async Task<AppProcess> StartAppAsync(Dictionary<string, string> extra)
    {
        extra["BulkWelcome__Connections"] = Connections.ToString(CultureInfo.InvariantCulture);
        extra["BulkWelcome__RowsInFlight"] = RowsInFlight.ToString(CultureInfo.InvariantCulture);
        var app = await AppProcess.StartAsync(OutboxProcessSteps.Environment(_smtp!.Port, _directory, extra), _directory);
        _apps.Add(app);
        return app;
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

        Directory.Delete(_directory, recursive: true);
    }
}
