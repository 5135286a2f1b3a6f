namespace MailMvc.Mail.Tests.Transport;

/// <summary>A transport of the user's own whose session throws as it is closed: the failure is no mail's. The mail sent
/// on the session is reported sent (so nobody sends it again), and the next mail goes on a new session.</summary>
public sealed class SessionCloseFailureTests
{
    [Fact]
    public async Task SendAsync_SessionThrowsAsItIsClosed_MailIsReportedSent()
    {
        var transport = new ThrowingOnCloseTransport();
        var mailer = new Mailer(Options(), transport);

        var receipt = await mailer.SendAsync(new Message("One", ["ada@example.com"], body: "Hi"));

        Assert.Equal(MailDisposition.Delivered, receipt.Disposition);
        Assert.Equal(1, transport.Sent);
        Assert.Equal(1, transport.Closed);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public async Task SendManyAsync_EachSessionThrowsAsItIsClosed_EveryMailIsSentOnANewSession(int connections)
    {
        var transport = new ThrowingOnCloseTransport();
        var mailer = new Mailer(Options(), transport);
        var messages = Enumerable.Range(1, 50).Select(i => new Message($"Mail {i}", [$"user{i}@example.com"], body: "Hi"));

        var results = await mailer.SendManyAsync(messages.ToAsyncEnumerable(), connections).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        Assert.Equal(50, transport.Sent);
        // A session takes one mail; with several connections one may open a session after the last mail was taken by
        // another (it sends nothing). Every session opened is closed.
        Assert.InRange(transport.Opened, 50, 50 + connections);
        Assert.Equal(transport.Opened, transport.Closed);
    }

    private static MailOptions Options() => new() { DefaultSender = "sender@example.com", SuppressSend = false };
}
