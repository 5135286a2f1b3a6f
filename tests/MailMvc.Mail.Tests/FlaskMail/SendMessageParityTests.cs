using MailMvc.Mail.Tests.Integration;
using MailMvc.Mail.Tests.Transport;

namespace MailMvc.Mail.Tests.FlaskMail;

/// <summary>Flask-Mail behaviours checked from the outside against its documentation and tests.</summary>
public sealed class SendMessageParityTests
{
    [Fact]
    public async Task SendMessageAsync_EveryMessageConstructorArgument_ReachesTheTransport()
    {
        var transport = new CapturingTransport();
        var mailer = new Mailer(new MailOptions { DefaultSender = "app@example.com" }, transport);
        var date = new DateTimeOffset(2026, 12, 1, 9, 30, 0, TimeSpan.Zero);

        await mailer.SendMessageAsync(subject: "Bonjour", recipients: ["a@example.com"], body: "Ça va ?", date: date, charset: "iso-8859-1",
            extraHeaders: new Dictionary<string, string> { ["X-Campaign"] = "winter" }, mailOptions: ["RET=HDRS"], rcptOptions: ["NOTIFY=FAILURE"]);

        var (mime, envelope) = (transport.Sent[0].Message, transport.Sent[0].Envelope);
        Assert.Equal(date, mime.Date);
        Assert.Equal("iso-8859-1", Assert.IsAssignableFrom<MimeKit.TextPart>(mime.Body).ContentType.Charset);
        Assert.Equal("winter", mime.Headers["X-Campaign"]);
        Assert.Equal(["RET=HDRS"], envelope.MailParameters);
        Assert.Equal(["NOTIFY=FAILURE"], envelope.RecipientParameters);
    }

    [Fact]
    public void HasBadHeaders_LineBreakInAnAttachmentHeader_IsTrueAndSendingSaysSoBeforeConnecting()
    {
        var message = new Message("Hi", ["a@example.com"], body: "Hi", sender: "app@example.com");
        message.Attach("a.txt", "text/plain", "a"u8.ToArray(), headers: new Dictionary<string, string> { ["X-Note"] = "one\r\nBcc: victim@example.com" });

        Assert.True(message.HasBadHeaders());
    }

    [Fact]
    public async Task SendAsync_AddressGivenTwice_WrittenOnceInToAndCcAndSentOnce()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var message = new Message("Hi", ["Ada <ada@example.com>", "ada@example.com", "bob@example.com"], body: "Hi",
            cc: ["bob@example.com", "carol@example.com", "carol@example.com"]);

        await new Mailer(server.CreateMailOptions()).SendAsync(message);

        var received = Assert.Single(server.Messages);
        var mime = received.Parse();
        Assert.Equal(["ada@example.com", "bob@example.com"], mime.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(["carol@example.com"], mime.Cc.Mailboxes.Select(m => m.Address));
        Assert.Equal(["ada@example.com", "bob@example.com", "carol@example.com"], received.RcptTos);
    }

    [Fact]
    public async Task SendAsync_EmptySender_FallsBackToTheDefaultSender()
    {
        var transport = new CapturingTransport();
        var message = new Message("Hi", ["a@example.com"], body: "Hi", sender: "");

        await new Mailer(new MailOptions { DefaultSender = "App <app@example.com>" }, transport).SendAsync(message);

        Assert.Equal("app@example.com", transport.Sent[0].Envelope.Sender.Address);
        var from = Assert.Single(transport.Sent[0].Message.From.Mailboxes);
        Assert.Equal(("App", "app@example.com"), (from.Name, from.Address));
    }

    [Fact]
    public async Task SendManyAsync_SendersInTurn_EachMailGoesFromItsOwnSender()
    {
        await using var server = await SmtpTestServer.StartAsync();
        EmailAddress?[] senders = ["Ada <ada@example.com>", "Ada <ada@example.com>", "bob@example.com", ("Zoë", "zoe@example.com"), null, "Ada <ada@example.com>"];
        var messages = senders.Select((sender, i) => new Message($"{i}", ["a@example.com"], body: "Hi", sender: sender));

        var results = await new Mailer(server.CreateMailOptions()).SendManyAsync(messages.ToAsyncEnumerable()).ToListAsync();

        Assert.All(results, r => Assert.True(r.IsSent, r.Error?.Message));
        var received = server.Messages.Select(m => (m.MailFrom, From: m.Parse().From.Mailboxes.Single())).ToList();
        string[] expected = ["ada@example.com", "ada@example.com", "bob@example.com", "zoe@example.com", "sender@example.com", "ada@example.com"];
        Assert.Equal(expected, received.Select(r => r.MailFrom));
        Assert.Equal(expected, received.Select(r => r.From.Address));
        Assert.Equal(["Ada", "Ada", "", "Zoë", "MailMvc Tests", "Ada"], received.Select(r => r.From.Name));
    }

    [Fact]
    public async Task ConnectionSend_EnvelopeFrom_IsTheMailFromWhileTheFromHeaderStays()
    {
        await using var server = await SmtpTestServer.StartAsync();
        await using var connection = await new Mailer(server.CreateMailOptions()).ConnectAsync();

        await connection.SendAsync(new Message("Hi", ["a@example.com"], body: "Hi", sender: "news@example.com"), "bounces@example.com");

        var received = Assert.Single(server.Messages);
        Assert.Equal("bounces@example.com", received.MailFrom);
        Assert.Equal("news@example.com", received.Parse().From.Mailboxes.Single().Address);
    }
}
