namespace MailMvc.Mail.Tests.FlaskMail;

/// <summary>Flask-Mail's tests/test_mail.py: <c>Mail.send</c> and <c>Mail.send_message</c>.</summary>
public sealed class MailTests
{
    // Flask: test_send
    [Fact]
    public async Task SendAsync_WhileRecording_RecordsTheMessage()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        using var outbox = mailer.RecordMessages();
        var message = new Message(subject: "testing", recipients: ["tester@example.com"], body: "test");

        await mailer.SendAsync(message);

        Assert.Same(message, Assert.Single(outbox.Messages));
    }

    // Flask: test_send
    [Fact]
    public async Task SendAsync_MessageWithoutDate_FillsInTheDate()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        var message = new Message(subject: "testing", recipients: ["tester@example.com"], body: "test");
        var before = DateTimeOffset.Now;

        await mailer.SendAsync(message);

        Assert.NotNull(message.Date);
        Assert.InRange(message.Date.Value, before, DateTimeOffset.Now);
    }

    // Flask: test_send
    [Fact]
    public async Task SendAsync_MessageWithoutSender_IsSentFromDefaultSender()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        var message = new Message(subject: "testing", recipients: ["tester@example.com"], body: "test");

        await mailer.SendAsync(message);

        Assert.Equal(FlaskMailFixture.DefaultSender, message.Sender?.ToString());
    }

    // Flask: test_send_message
    [Fact]
    public async Task SendMessageAsync_Arguments_RecordsMessageBuiltFromThem()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        using var outbox = mailer.RecordMessages();

        await mailer.SendMessageAsync(subject: "testing", recipients: ["tester@example.com"], body: "test");

        var sent = Assert.Single(outbox.Messages);
        Assert.Equal("testing", sent.Subject);
        Assert.Equal(["tester@example.com"], sent.Recipients);
        Assert.Equal("test", sent.Body);
        Assert.Equal(FlaskMailFixture.DefaultSender, sent.Sender?.ToString());
    }
}
