using System.Globalization;
using CsvHelper;
using MailMvc.Mail.Tests.Integration;
using MailMvc.Web.Welcome;

namespace MailMvc.Web.Tests.Processes;

/// <summary>The steps the process tests share: the app's settings, reading what was queued and what arrived, waiting.</summary>
internal static class OutboxProcessSteps
{
    /// <summary>The app's environment for outbox tests: Development, SMTP to the test server on <paramref name="smtpPort"/>,
    /// the outbox on with a short claim, plus <paramref name="extra"/> settings.</summary>
    public static Dictionary<string, string> Environment(int smtpPort, string directory, IReadOnlyDictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Mail__Server"] = "127.0.0.1",
            ["Mail__Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Mail__DeliveryMethod"] = "Smtp",
            ["Mail__SuppressSend"] = "false",
            ["Mail__Debug"] = "false",
            ["Mail__Timeout"] = "00:00:02",
            ["Mail__Outbox__Enabled"] = "true",
            ["Mail__Outbox__ClaimDuration"] = "00:00:08",
            ["Mail__Outbox__PollInterval"] = "00:00:00.200",
            ["BulkWelcome__DatabasePath"] = Path.Combine(directory, "bulk.db"),
            ["Mail__Suppression__DatabasePath"] = Path.Combine(directory, "suppressions.db"),

            // The lists here are larger than a client's default budget.
            ["RateLimits__Sending__RecipientsPerMinute"] = "100000",
            ["RateLimits__Sending__RecipientsPerDay"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Microsoft.Hosting.Lifetime"] = "Information",
        };
        foreach (var (key, value) in extra)
        {
            environment[key] = value;
        }

        return environment;
    }

    /// <summary>The Message-IDs of the queued rows, from the job's downloadable results.</summary>
    public static async Task<IReadOnlyList<string>> ReadQueuedMessageIdsAsync(HttpClient client, string jobUrl, int rows)
    {
        using var reader = new StringReader(await client.GetStringAsync(jobUrl + "/results.csv"));
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        var queued = csv.GetRecords<BulkRowResult>().ToList();
        Assert.Equal(rows, queued.Count);
        Assert.All(queued, row => Assert.Equal(BulkRowOutcome.Queued, row.Outcome));
        return queued.Select(row => row.Detail).ToList();
    }

    /// <summary>The Message-IDs the server received, in order, duplicates included.</summary>
    public static List<string> MessageIds(SmtpTestServer smtp) =>
        smtp.Messages.Select(m => m.MessageId ?? m.Parse().MessageId ?? throw new Xunit.Sdk.XunitException("A received mail has no Message-ID.")).ToList();

    /// <summary>Waits until <paramref name="check"/> says done (it returns the state in words too, for the failure
    /// message), polling every <paramref name="interval"/>, failing with <paramref name="app"/>'s output after
    /// <paramref name="timeout"/>.</summary>
    public static async Task WaitUntilAsync(Func<(bool Done, string State)> check, TimeSpan interval, TimeSpan timeout, string what, AppProcess app)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var (done, state) = check();
            if (done)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline,
                $"Waited {timeout.TotalSeconds:0} s for {what} in vain ({state}). App output:\n{app.Output}");
            await Task.Delay(interval);
        }
    }
}
