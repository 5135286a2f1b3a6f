namespace MailMvc.Mail.Tests.Integration;

/// <summary>Scheduled sending without the outbox: a mail whose time is ahead is refused before any connection, with a
/// sentence that says how to send later; a time already past means now.</summary>
public sealed class ScheduledSendingTests
{
    [Fact]
    public async Task SendAsync_ScheduledAheadStraightToTheServer_ThrowsSayingToTurnTheOutboxOnAndSendsNothing()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var message = new Message("Later", ["ada@example.com"], body: "Hi") { NotBefore = DateTimeOffset.UtcNow.AddHours(1) };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => new Mailer(server.CreateMailOptions()).SendAsync(message));

        Assert.Contains("Turn the outbox on", error.Message, StringComparison.Ordinal);
        Assert.Contains("Mail:Outbox:Enabled=true", error.Message, StringComparison.Ordinal);
        Assert.Equal((0, 0), (server.Messages.Count, server.ConnectionCount));
    }

    [Fact]
    public async Task SendManyAsync_OneOfThreeScheduledAhead_ThatOneFailsWithTheSentenceTheOthersAreSent()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var messages = new[]
        {
            new Message("Now 1", ["a@example.com"], body: "Hi"),
            new Message("Later", ["b@example.com"], body: "Hi") { NotBefore = DateTimeOffset.UtcNow.AddDays(1) },
            new Message("Now 2", ["c@example.com"], body: "Hi"),
        };

        var results = await new Mailer(server.CreateMailOptions()).SendManyAsync(messages.Select(m => (m, m.Subject)).ToAsyncEnumerable()).ToListAsync();

        var refused = Assert.Single(results, r => r.Error is not null);
        Assert.Equal("Later", refused.State);
        Assert.Contains("Turn the outbox on", refused.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(["Now 1", "Now 2"], server.Messages.Select(m => m.Parse().Subject).Order());
    }

    [Fact]
    public async Task SendAsync_ScheduledTimeAlreadyPast_SentNowWithTheCurrentDate()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var message = new Message("Past", ["ada@example.com"], body: "Hi") { NotBefore = DateTimeOffset.UtcNow.AddMinutes(-5) };

        var receipt = await new Mailer(server.CreateMailOptions()).SendAsync(message);

        Assert.Equal((MailDisposition.Delivered, null), (receipt.Disposition, receipt.NotBefore));
        var date = Assert.Single(server.Messages).Parse().Date;
        Assert.InRange(date, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }
}
