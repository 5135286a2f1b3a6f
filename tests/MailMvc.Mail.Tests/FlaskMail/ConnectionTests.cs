using MailMvc.Mail.Tests.Transport;
using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests.FlaskMail;

/// <summary>
/// Flask-Mail's tests/test_connection.py: sending over one connection from <see cref="IMailer.ConnectAsync"/>.
/// Where Flask mocks smtplib's <c>sendmail</c>, these tests check the envelope and MIME message that
/// the mailer hands to its transport (a <see cref="CapturingTransport"/>).
/// </summary>
public sealed class ConnectionTests
{
    // Flask: test_send_message
    [Fact]
    public async Task SendMessageAsync_OnConnection_RecordsMessageFromDefaultSender()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        using var outbox = mailer.RecordMessages();

        await using (var connection = await mailer.ConnectAsync())
        {
            await connection.SendMessageAsync(subject: "testing", recipients: ["to@example.com"], body: "testing");
        }

        var sent = Assert.Single(outbox.Messages);
        Assert.Equal(FlaskMailFixture.DefaultSender, sent.Sender?.ToString());
    }

    // Flask: test_send_single
    [Fact]
    public async Task SendAsync_OnConnection_RecordsTheMessageAsGiven()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        using var outbox = mailer.RecordMessages();
        var message = new Message(subject: "testing", recipients: ["to@example.com"], body: "testing");

        await using (var connection = await mailer.ConnectAsync())
        {
            await connection.SendAsync(message);
        }

        var sent = Assert.Single(outbox.Messages);
        Assert.Equal("testing", sent.Subject);
        Assert.Equal(["to@example.com"], sent.Recipients);
        Assert.Equal("testing", sent.Body);
        Assert.Equal(FlaskMailFixture.DefaultSender, sent.Sender?.ToString());
    }

    // Flask: test_send_many
    [Fact]
    public async Task SendAsync_HundredMessagesOnOneConnection_RecordsAllHundred()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        using var outbox = mailer.RecordMessages();

        await using (var connection = await mailer.ConnectAsync())
        {
            for (var i = 0; i < 100; i++)
            {
                await connection.SendAsync(new Message(subject: "testing", recipients: ["to@example.com"], body: "testing"));
            }

            Assert.Equal(100, connection.SentCount);
        }

        Assert.Equal(100, outbox.Messages.Count);
    }

    // Flask: test_send_without_sender
    [Fact]
    public async Task SendAsync_NoSenderAndNoDefaultSender_ThrowsArgumentException()
    {
        var mailer = FlaskMailFixture.CreateMailer(defaultSender: null);
        var message = new Message(subject: "testing", recipients: ["to@example.com"], body: "testing");
        await using var connection = await mailer.ConnectAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => connection.SendAsync(message));

        Assert.Contains("sender", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    // Flask: test_send_without_recipients
    [Fact]
    public async Task SendAsync_NoRecipients_ThrowsArgumentException()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        var message = new Message(subject: "testing", recipients: [], body: "testing");
        await using var connection = await mailer.ConnectAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => connection.SendAsync(message));

        Assert.Contains("recipients", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    // Flask: test_bad_header_subject
    [Fact]
    public async Task SendAsync_SubjectWithLfCr_ThrowsBadHeaderExceptionAndSendsNothing()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        using var outbox = mailer.RecordMessages();
        var message = new Message(subject: "testing\n\r", body: "testing", recipients: ["to@example.com"]);
        await using var connection = await mailer.ConnectAsync();

        await Assert.ThrowsAsync<BadHeaderException>(() => connection.SendAsync(message));

        Assert.Empty(outbox.Messages);
    }

    // Flask: test_sendmail_with_ascii_recipient
    [Fact]
    public async Task Prepare_AsciiRecipient_EnvelopeIsFromSenderToRecipient()
    {
        var message = new Message(subject: "testing", sender: "from@example.com", recipients: ["to@example.com"], body: "testing");

        var (_, envelope) = await CapturingTransport.PrepareAsync(message, FlaskMailFixture.Options());

        Assert.Equal("from@example.com", envelope.Sender.Address);
        Assert.Equal(["to@example.com"], envelope.Recipients.Select(r => r.Address));
        Assert.Equal((0, 0), (envelope.MailParameters.Count, envelope.RecipientParameters.Count));
    }

    // Flask: test_sendmail_with_ascii_recipient (sendmail gets msg.as_bytes())
    [Fact]
    public async Task Prepare_AnyMessage_HandsOverTheMessagesOwnMime()
    {
        var message = new Message(subject: "testing", sender: "from@example.com", recipients: ["to@example.com"], body: "testing");

        var (mime, _) = await CapturingTransport.PrepareAsync(message, FlaskMailFixture.Options());

        Assert.Equal(FlaskMailFixture.AsString(message), mime.ToString());
    }

    // Flask: test_sendmail_with_non_ascii_recipient
    [Fact]
    public async Task Prepare_NonAsciiRecipientName_EnvelopeCarriesOnlyTheAddress()
    {
        var message = new Message(subject: "testing", sender: "from@example.com", recipients: ["ÄÜÖ → ✓ <to@example.com>"], body: "testing");

        var (_, envelope) = await CapturingTransport.PrepareAsync(message, FlaskMailFixture.Options());

        Assert.Equal(["to@example.com"], envelope.Recipients.Select(r => r.Address));
    }

    // Flask: test_sendmail_with_non_ascii_recipient
    [Fact]
    public async Task Prepare_NonAsciiRecipientName_IsRfc2047EncodedInToHeader()
    {
        var message = new Message(subject: "testing", sender: "from@example.com", recipients: ["ÄÜÖ → ✓ <to@example.com>"], body: "testing");

        var (mime, _) = await CapturingTransport.PrepareAsync(message, FlaskMailFixture.Options());

        var written = FlaskMailFixture.Parse(mime.ToString());
        Assert.Equal("=?utf-8?b?w4TDnMOWIOKGkiDinJM=?= <to@example.com>", FlaskMailFixture.RawHeader(written, "To"), ignoreCase: true);
        Assert.Equal("ÄÜÖ → ✓", written.To.Mailboxes.Single().Name);
    }

    // Flask: test_sendmail_with_ascii_body
    [Fact]
    public async Task Prepare_AsciiBody_IsHandedOverUnchanged()
    {
        var message = new Message(subject: "testing", sender: "from@example.com", recipients: ["to@example.com"], body: "body");

        var (mime, envelope) = await CapturingTransport.PrepareAsync(message, FlaskMailFixture.Options());

        Assert.Equal("body", FlaskMailFixture.Parse(mime.ToString()).TextBody?.TrimEnd());
        Assert.Equal(["to@example.com"], envelope.Recipients.Select(r => r.Address));
    }

    // Flask: test_sendmail_with_non_ascii_body
    [Fact]
    public async Task Prepare_NonAsciiBody_WritesAsUtf8WithoutError()
    {
        var message = new Message(subject: "testing", sender: "from@example.com", recipients: ["to@example.com"], body: "Öö");

        var (mime, _) = await CapturingTransport.PrepareAsync(message, FlaskMailFixture.Options());

        using var bytes = new MemoryStream();
        mime.WriteTo(bytes);
        bytes.Position = 0;
        var written = MimeMessage.Load(bytes);
        var text = Assert.IsType<TextPart>(written.Body);
        Assert.Equal("utf-8", text.ContentType.Charset, ignoreCase: true);
        Assert.Equal("Öö", text.Text.TrimEnd());
    }
}
