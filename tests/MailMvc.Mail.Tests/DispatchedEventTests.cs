using MailMvc.Mail.Tests.FlaskMail;
using MailMvc.Mail.Tests.Integration;

namespace MailMvc.Mail.Tests;

/// <summary>Flask-Mail's email_dispatched signal: the Dispatched event.</summary>
public sealed class DispatchedEventTests
{
    [Fact]
    public async Task Dispatched_SendingSuppressed_IsRaisedWithTheMessage()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        var raised = new List<MessageDispatchedEventArgs>();
        mailer.Dispatched += (_, e) => raised.Add(e);
        var message = new Message("testing", ["tester@example.com"], body: "test");

        await mailer.SendAsync(message);

        var e = Assert.Single(raised);
        Assert.Same(message, e.Message);
        Assert.Equal(MailDisposition.Suppressed, e.Receipt.Disposition);
        Assert.Equal("testing", e.MimeMessage.Subject);
        Assert.False(e.Queued);
    }

    [Fact]
    public async Task Dispatched_RealServer_IsRaisedOncePerMessageAfterTheServerAccepted()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var mailer = new Mailer(server.CreateMailOptions());
        var receivedWhenRaised = new List<int>();
        mailer.Dispatched += (_, _) => receivedWhenRaised.Add(server.Messages.Count);

        await using (var connection = await mailer.ConnectAsync())
        {
            await connection.SendAsync(new Message("one", ["a@example.com"], body: "1"));
            await connection.SendAsync(new Message("two", ["b@example.com"], body: "2"));
        }

        Assert.Equal([1, 2], receivedWhenRaised);
    }

    [Fact]
    public async Task Dispatched_HandlerThrows_SendStillSucceedsAndOtherHandlersRun()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        var secondRan = false;
        mailer.Dispatched += (_, _) => throw new InvalidOperationException("a broken handler");
        mailer.Dispatched += (_, _) => secondRan = true;

        await mailer.SendAsync(new Message("testing", ["tester@example.com"], body: "test"));

        Assert.True(secondRan);
    }
}
