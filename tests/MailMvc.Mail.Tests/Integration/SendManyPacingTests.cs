namespace MailMvc.Mail.Tests.Integration;

/// <summary>
/// IMailer.SendManyAsync behind a slow server: when each result reaches the caller. These time the caller's own
/// continuations, so they run in <see cref="PacingCollection"/>, alone: beside the parallel tests a starved thread
/// pool once held the caller back for a second (CI saw results 966, 0, 0 and 41 ms apart).
/// </summary>
[Collection(PacingCollection.Name)]
public sealed class SendManyPacingTests
{
    [Fact]
    public async Task SendManyAsync_SlowServer_EachResultReachesTheCallerBeforeTheNextMailIsDone()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(300) });
        var mailer = new Mailer(server.CreateMailOptions());
        var deliveredWhenSeen = new List<int>();

        await foreach (var result in mailer.SendManyAsync(Messages(4)))
        {
            Assert.True(result.IsSent, result.Error?.Message);
            deliveredWhenSeen.Add(server.Messages.Count);
        }

        // Results are grouped only while they come fast: behind a slow server the caller hears of each mail as it
        // goes, not once the group is full.
        Assert.Equal(4, deliveredWhenSeen.Count);
        Assert.True(deliveredWhenSeen[0] < 4, $"The first result came only after {deliveredWhenSeen[0]} deliveries.");
    }

    [Fact]
    public async Task SendManyAsync_SlowServerAndEveryMessageReadyAtOnce_EachResultReachesTheCallerWhileTheNextIsSent()
    {
        // All three messages are queued before the first is sent, so nothing waits for the caller: each result still goes
        // as soon as its mail is done (it took longer than the results' linger), not with the next mail's.
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(300) });
        var mailer = new Mailer(server.CreateMailOptions());
        var deliveredWhenSeen = new List<int>();

        await foreach (var result in mailer.SendManyAsync(Messages(3)))
        {
            Assert.True(result.IsSent, result.Error?.Message);
            deliveredWhenSeen.Add(server.Messages.Count);
        }

        Assert.Equal([1, 2, 3], deliveredWhenSeen);
    }

    [Fact]
    public async Task SendManyAsync_CallerKeepsFourInFlightBehindASlowServer_EachResultReachesTheCallerAsItsMailIsDone()
    {
        await using var server = await SmtpTestServer.StartAsync(new SmtpTestServerOptions { Delay = TimeSpan.FromMilliseconds(250) });
        var mailer = new Mailer(server.CreateMailOptions());
        // As a bulk list does: the next message only once an earlier one has its result.
        using var window = new SemaphoreSlim(4);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var seenAt = new List<TimeSpan>();

        await foreach (var result in mailer.SendManyAsync(Windowed(12, window)))
        {
            Assert.True(result.IsSent, result.Error?.Message);
            seenAt.Add(clock.Elapsed);
            window.Release();
        }

        // The caller waits for the first eight results to hand over the last four: none of them is held back until the
        // next mail is done too (the mails take 250 ms each, so results that came together would be milliseconds apart:
        // held in pairs, four of the seven gaps). Two short gaps are allowed, for one stall of a busy machine (the browser
        // tests run beside these, in another process: a stall of 850 ms once made three results arrive together).
        Assert.Equal(12, seenAt.Count);
        var awaited = seenAt.Take(8).ToList();
        var gaps = awaited.Zip(awaited.Skip(1), (earlier, later) => later - earlier).ToList();
        Assert.True(gaps.Count(gap => gap < TimeSpan.FromMilliseconds(50)) <= 2,
            $"Results reached the caller together: {string.Join(", ", gaps.Select(gap => $"{gap.TotalMilliseconds:0} ms"))} apart.");
    }

    private static async IAsyncEnumerable<Message> Messages(int count)
    {
        for (var i = 1; i <= count; i++)
        {
            await Task.Yield();
            yield return new Message($"Bulk {i}", [$"user{i}@example.com"], body: "Hi");
        }
    }

    private static async IAsyncEnumerable<Message> Windowed(int count, SemaphoreSlim window)
    {
        for (var i = 1; i <= count; i++)
        {
            await window.WaitAsync();
            yield return new Message($"Bulk {i}", [$"user{i}@example.com"], body: "Hi");
        }
    }
}
