using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Outbox;

namespace MailMvc.Mail.Tests.Integration;

/// <summary>Sending budgets (<see cref="RateLimitOptions"/>, kept in this process) against the real SMTP test server,
/// measured by when the server received each mail.</summary>
[Collection(PacingCollection.Name)]
public sealed class RateLimitTests : IClassFixture<SqliteOutboxDatabase>
{
    private readonly SqliteOutboxDatabase _database;

    public RateLimitTests(SqliteOutboxDatabase database) => _database = database;

    [Fact]
    public async Task SendManyAsync_TwentyASecondOverAThousandMails_TwentyASecondOverallWithoutBursts()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var options = server.CreateMailOptions();
        options.RateLimit.PerSecond = 20;
        await using var mailer = new Mailer(options);
        var mails = Enumerable.Range(1, 1000).Select(i => (new Message($"Budget {i}", [$"user{i}@example.com"], body: "Hi"), i));

        var results = await mailer.SendManyAsync(mails.ToAsyncEnumerable(), connections: 4).ToListAsync();

        Assert.All(results, r => Assert.Null(r.Error));
        var arrivals = server.Messages.Select(m => m.ReceivedAt).Order().ToList();
        Assert.Equal(1000, arrivals.Count);
        // Every window of one second, starting at each arrival, holds at most 20 mails + 25 %: the times are the server's,
        // a Python process that stamps a mail late when the machine is busy (beside the other test projects, CI once saw 23
        // in a window). A burst (a connection sending its share at once, say) puts far more in one.
        var busiest = arrivals.Select((at, i) => arrivals.Skip(i).TakeWhile(next => next - at < TimeSpan.FromSeconds(1)).Count()).Max();
        Assert.InRange(busiest, 1, 25);
        var overall = 999 / (arrivals[^1] - arrivals[0]).TotalSeconds;
        Assert.InRange(overall, 18, 22);
    }

    [Fact]
    public async Task SendAsync_DailyBudgetOfThree_ThreeSentTheFourthRefusedAsTransientSayingWhenItResets()
    {
        var midnight = await UtcDay.StartWellBeforeMidnightAsync();
        await using var server = await SmtpTestServer.StartAsync();
        var options = server.CreateMailOptions();
        options.RateLimit.PerDay = 3;
        await using var mailer = new Mailer(options);

        for (var i = 1; i <= 3; i++)
        {
            await mailer.SendAsync(new Message($"Day {i}", ["ada@example.com"], body: "Hi"));
        }

        var error = await Assert.ThrowsAsync<MailBudgetExceededException>(() => mailer.SendAsync(new Message("Day 4", ["ada@example.com"], body: "Hi")));

        Assert.Equal(3, server.Messages.Count);
        Assert.True(error.IsTransient && error.IsConnectionFailure);
        Assert.Contains($"resets at {midnight:yyyy-MM-dd} 00:00 UTC", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mail:RateLimit:PerDay", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outbox_DailyBrakeOfThreeForFiveMails_ThreeSentTheOthersWaitQueuedSayingWhenTheyGo()
    {
        var midnight = await UtcDay.StartWellBeforeMidnightAsync();
        await using var server = await SmtpTestServer.StartAsync();
        await using var host = await OutboxTestHost.StartAsync(_database.Provider, await _database.CreateOutboxAsync(), server.Port,
            mail: options => options.DailyLimit = 3);

        for (var i = 1; i <= 5; i++)
        {
            await host.Mailer.SendAsync(new Message($"Brake {i}", [$"user{i}@example.com"], body: "Hi"));
        }

        var deadline = DateTime.UtcNow.AddSeconds(20);
        IReadOnlyList<OutboxEntry> waiting;
        do
        {
            await Task.Delay(100);
            waiting = (await host.Outbox.ListAsync(OutboxStatus.Queued, 10)).Where(m => m.LastReply is not null).ToList();
        }
        while (waiting.Count < 2 && DateTime.UtcNow < deadline);

        var counts = await host.Outbox.GetCountsAsync();
        Assert.Equal((3L, 0L), (counts.Sent, counts.Failed));
        Assert.Equal(3, server.Messages.Count);
        Assert.Equal(2, waiting.Count);
        Assert.All(waiting, m => Assert.Contains($"resets at {midnight:yyyy-MM-dd} 00:00 UTC", m.LastReply, StringComparison.Ordinal));
        Assert.All(waiting, m => Assert.Contains("Mail:DailyLimit", m.LastReply, StringComparison.Ordinal));
    }
}
