using System.Text;
using System.Text.RegularExpressions;
using MailMvc.Mail.Tests.Transport;
using MimeKit;
using MimeKit.Utils;

namespace MailMvc.Mail.Tests.FlaskMail;

/// <summary>
/// Flask-Mail's tests/test_message.py: building a message and the MIME text it is written as.
/// Where Flask-Mail's behaviour is a bug (set ordering, the "UTF8" label, duplicate Message-ID), the
/// right behaviour is pinned instead.
/// </summary>
public sealed class MessageTests
{
    private const string NonAsciiName = "ÄÜÖ → ✓";

    // Flask: test_init_message
    [Fact]
    public void ToMimeMessage_MessageWithoutSender_IsFromDefaultSender()
    {
        var message = new Message(subject: "subject", recipients: ["to@example.com"]);

        var written = FlaskMailFixture.Written(message);

        Assert.Equal(FlaskMailFixture.DefaultSender, written.From.Mailboxes.Single().Address);
    }

    // Flask: test_init_message
    [Fact]
    public void Constructor_Recipients_AreKept()
    {
        var message = new Message(subject: "subject", recipients: ["to@example.com"]);

        Assert.Equal(["to@example.com"], message.Recipients);
    }

    // Flask: test_init_message_recipients
    [Fact]
    public void Constructor_NoRecipients_RecipientsAreEmpty()
    {
        var message = new Message(subject: "subject");

        Assert.Empty(message.Recipients);
    }

    // Flask: test_init_message_recipients, test_add_recipient
    [Fact]
    public void AddRecipient_EmptyMessage_AppendsTheRecipient()
    {
        var message = new Message(subject: "testing");

        message.AddRecipient("to@example.com");

        Assert.Equal(["to@example.com"], message.Recipients);
    }

    // Flask: test_esmtp_options_properly_initialized
    [Fact]
    public void Constructor_NoEsmtpOptions_OptionListsAreEmpty()
    {
        var message = new Message(subject: "subject");

        Assert.Empty(message.MailOptions);
        Assert.Empty(message.RcptOptions);
    }

    // Flask: test_esmtp_options_properly_initialized
    [Fact]
    public void Constructor_EsmtpOptions_AreKept()
    {
        var message = new Message(subject: "subject", mailOptions: ["BODY=8BITMIME"], rcptOptions: ["NOTIFY=SUCCESS"]);

        Assert.Equal(["BODY=8BITMIME"], message.MailOptions);
        Assert.Equal(["NOTIFY=SUCCESS"], message.RcptOptions);
    }

    // Flask: test_sendto_properly_set
    [Fact]
    public void SendTo_RecipientCcAndBcc_ListsEveryone()
    {
        var message = new Message(subject: "subject", recipients: ["somebody@here.com"], cc: ["cc@example.com"], bcc: ["bcc@example.com"]);

        Assert.Equal(["somebody@here.com", "cc@example.com", "bcc@example.com"], message.SendTo);
    }

    // Flask: test_sendto_properly_set
    [Fact]
    public void SendTo_RecipientAlsoInCc_IsListedOnce()
    {
        var message = new Message(subject: "subject", recipients: ["somebody@here.com"], cc: ["cc@example.com"], bcc: ["bcc@example.com"]);

        message.AddRecipient("cc@example.com");

        Assert.Equal(3, message.SendTo.Count);
    }

    // Flask: test_sender_as_tuple
    [Fact]
    public void Sender_Tuple_ReadsAsNameAndAddress()
    {
        var message = new Message(subject: "testing", sender: ("tester", "tester@example.com"));

        Assert.Equal("tester <tester@example.com>", message.Sender?.ToString());
    }

    // Flask: test_default_sender_as_tuple (MailOptions.DefaultSender is a string: "Name <addr>")
    [Fact]
    public void ToMimeMessage_DefaultSenderWithName_IsFromThatNameAndAddress()
    {
        var message = new Message(subject: "testing", recipients: ["to@example.com"]);

        var written = FlaskMailFixture.Written(message, FlaskMailFixture.Options("tester <tester@example.com>"));

        var from = written.From.Mailboxes.Single();
        Assert.Equal(("tester", "tester@example.com"), (from.Name, from.Address));
    }

    // Flask: test_reply_to
    [Fact]
    public void ToMimeMessage_ReplyTo_WritesReplyToHeader()
    {
        var message = new Message(subject: "testing", recipients: ["to@example.com"], sender: "spammer <spammer@example.com>",
            replyTo: "somebody <somebody@example.com>", body: "testing");

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("somebody <somebody@example.com>", FlaskMailFixture.RawHeader(written, "Reply-To"));
    }

    // Flask: test_send_without_sender (test_message.py)
    [Fact]
    public async Task SendAsync_NoSenderAndNoDefaultSender_ThrowsArgumentException()
    {
        var mailer = FlaskMailFixture.CreateMailer(defaultSender: null);
        var message = new Message(subject: "testing", recipients: ["to@example.com"], body: "testing");

        await Assert.ThrowsAsync<ArgumentException>(() => mailer.SendAsync(message));
    }

    // Flask: test_send_without_recipients (test_message.py)
    [Fact]
    public async Task SendAsync_NoRecipients_ThrowsArgumentException()
    {
        var mailer = FlaskMailFixture.CreateMailer(defaultSender: null);
        var message = new Message(subject: "testing", recipients: [], body: "testing");

        await Assert.ThrowsAsync<ArgumentException>(() => mailer.SendAsync(message));
    }

    // Flask: test_bcc
    [Fact]
    public void ToMimeMessage_Bcc_AppearsNowhereInTheText()
    {
        var message = new Message(sender: "from@example.com", subject: "testing", recipients: ["to@example.com"], body: "testing",
            bcc: ["tosomeoneelse@example.com"]);

        var text = FlaskMailFixture.AsString(message);

        Assert.DoesNotContain("tosomeoneelse@example.com", text, StringComparison.OrdinalIgnoreCase);
    }

    // Beyond Flask's test_bcc: a Bcc address still gets the mail.
    [Fact]
    public async Task Prepare_Bcc_IsAnEnvelopeRecipient()
    {
        var message = new Message(sender: "from@example.com", subject: "testing", recipients: ["to@example.com"], body: "testing",
            bcc: ["tosomeoneelse@example.com"]);

        var (_, envelope) = await CapturingTransport.PrepareAsync(message, FlaskMailFixture.Options());

        Assert.Equal(["to@example.com", "tosomeoneelse@example.com"], envelope.Recipients.Select(r => r.Address));
    }

    // Flask: test_cc
    [Fact]
    public void ToMimeMessage_Cc_WritesCcHeader()
    {
        var message = new Message(sender: "from@example.com", subject: "testing", recipients: ["to@example.com"], body: "testing",
            cc: ["tosomeoneelse@example.com"]);

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("tosomeoneelse@example.com", FlaskMailFixture.RawHeader(written, "Cc"));
    }

    // Flask: test_attach
    [Fact]
    public void Attach_DataAndContentTypeOnly_HasNoFileNameAndAttachmentDisposition()
    {
        var message = new Message(subject: "testing", recipients: ["to@example.com"], body: "testing");

        message.Attach(null, "text/plain", "this is a test"u8.ToArray());

        var attachment = Assert.Single(message.Attachments);
        Assert.Null(attachment.FileName);
        Assert.Equal("attachment", attachment.Disposition);
        Assert.Equal("text/plain", attachment.ContentType);
        Assert.Equal("this is a test"u8.ToArray(), attachment.Data.ToArray());
    }

    // Flask: test_bad_header_subject
    [Fact]
    public async Task SendAsync_SubjectEndingInCrLf_ThrowsBadHeaderException()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        var message = new Message(subject: "testing\r\n", sender: "from@example.com", body: "testing", recipients: ["to@example.com"]);

        await Assert.ThrowsAsync<BadHeaderException>(() => mailer.SendAsync(message));
    }

    // Flask: test_multiline_subject
    [Fact]
    public async Task SendAsync_ProperlyFoldedSubject_IsSent()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        using var outbox = mailer.RecordMessages();
        var message = new Message(subject: "testing\r\n testing\r\n testing \r\n \ttesting", sender: "from@example.com",
            body: "testing", recipients: ["to@example.com"]);

        await mailer.SendAsync(message);

        Assert.Single(outbox.Messages);
    }

    // Flask: test_multiline_subject (Flask writes the folding verbatim; MimeKit unfolds and folds again,
    // so the subject a reader sees is the unfolded text)
    [Fact]
    public void ToMimeMessage_ProperlyFoldedSubject_ReadsBackUnfolded()
    {
        var message = new Message(subject: "testing\r\n testing\r\n testing \r\n \ttesting", sender: "from@example.com",
            body: "testing", recipients: ["to@example.com"]);

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("testing testing testing  \ttesting", written.Subject);
        Assert.Equal("from@example.com", written.From.Mailboxes.Single().Address);
    }

    // Flask: test_bad_multiline_subject
    [Theory]
    [InlineData("testing\r\n testing\r\n ")]
    [InlineData("testing\r\n testing\r\n\t")]
    [InlineData("testing\r\n testing\r\n\n")]
    public async Task SendAsync_SubjectEndingInBlankContinuationLine_ThrowsBadHeaderException(string subject)
    {
        var mailer = FlaskMailFixture.CreateMailer();
        var message = new Message(subject: subject, sender: "from@example.com", body: "testing", recipients: ["to@example.com"]);

        await Assert.ThrowsAsync<BadHeaderException>(() => mailer.SendAsync(message));
    }

    // Flask: test_bad_header_sender
    [Fact]
    public void ToMimeMessage_SenderEndingInCrLf_WritesCleanFromHeader()
    {
        var message = new Message(subject: "testing", sender: "from@example.com\r\n", recipients: ["to@example.com"], body: "testing");

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("from@example.com", FlaskMailFixture.RawHeader(written, "From"));
    }

    // Flask: has_bad_headers() checks the sender too, so such a message is never sent.
    [Fact]
    public async Task SendAsync_SenderEndingInCrLf_ThrowsBadHeaderException()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        var message = new Message(subject: "testing", sender: "from@example.com\r\n", recipients: ["to@example.com"], body: "testing");

        await Assert.ThrowsAsync<BadHeaderException>(() => mailer.SendAsync(message));
    }

    // Flask: test_bad_header_reply_to
    [Fact]
    public void ToMimeMessage_ReplyToEndingInCr_WritesCleanHeaders()
    {
        var message = new Message(subject: "testing", sender: "from@example.com", replyTo: "evil@example.com\r",
            recipients: ["to@example.com"], body: "testing");

        var written = FlaskMailFixture.Written(message);

        Assert.Equal(
            ("from@example.com", "to@example.com", "evil@example.com"),
            (FlaskMailFixture.RawHeader(written, "From"), FlaskMailFixture.RawHeader(written, "To"), FlaskMailFixture.RawHeader(written, "Reply-To")));
    }

    // Flask: test_bad_header_recipient
    [Fact]
    public void ToMimeMessage_RecipientWithCrLf_DoesNotBreakToHeader()
    {
        var message = new Message(subject: "testing", sender: "from@example.com", recipients: ["to@example.com", "to\r\n@example.com"],
            body: "testing");

        var written = FlaskMailFixture.Written(message);

        Assert.All(written.To.Mailboxes, m => Assert.Equal("to@example.com", m.Address));
        Assert.Single(written.Headers, h => h.Id == HeaderId.To);
    }

    // Flask: test_emails_are_sanitized
    [Fact]
    public void ToMimeMessage_AddressesWithCrLf_AreWrittenWithoutThem()
    {
        var message = new Message(subject: "testing", sender: "sender\r\n@example.com", replyTo: "reply_to\r\n@example.com",
            recipients: ["recipient\r\n@example.com"]);

        var written = FlaskMailFixture.Written(message);

        Assert.Equal(
            ("sender@example.com", "reply_to@example.com", "recipient@example.com"),
            (FlaskMailFixture.RawHeader(written, "From"), FlaskMailFixture.RawHeader(written, "Reply-To"), FlaskMailFixture.RawHeader(written, "To")));
    }

    // Flask: test_plain_message
    [Fact]
    public void ToMimeMessage_BodyOnly_IsTextPlain()
    {
        const string PlainText = "Hello Joe,\nHow are you?";
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["to@example.com"], body: PlainText);

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("text/plain", written.Body?.ContentType.MimeType);
        Assert.Equal(PlainText, message.Body);
    }

    // Flask: test_message_str
    [Fact]
    public void ToString_AnyMessage_IsTheMimeText()
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["to@example.com"], body: "some plain text",
            date: new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero));

        var text = message.ToString();

        Assert.Equal(message.ToMimeMessage().ToString(), text);
        Assert.Equal("some plain text", FlaskMailFixture.Parse(text).TextBody?.TrimEnd());
    }

    // Flask: test_plain_message_with_attachments
    [Fact]
    public void ToMimeMessage_BodyAndAttachment_IsMultipartMixed()
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["to@example.com"], body: "hello");
        message.Attach(null, "text/plain", "this is a test"u8.ToArray());

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("multipart/mixed", written.Body?.ContentType.MimeType);
    }

    // Flask: test_plain_message_with_ascii_attachment
    [Fact]
    public void ToMimeMessage_AsciiFileName_IsQuotedFileNameParameter()
    {
        var message = new Message(subject: "subject", recipients: ["to@example.com"], body: "hello");
        message.Attach("test doc.txt", "text/plain", "this is a test"u8.ToArray());

        var written = FlaskMailFixture.Written(message);

        var attachment = written.Attachments.Single();
        Assert.Equal("attachment; filename=\"test doc.txt\"", FlaskMailFixture.RawHeader(attachment, "Content-Disposition"));
    }

    // Flask: test_plain_message_with_unicode_attachment (pins the registered "utf-8" label, where Flask writes "UTF8")
    [Fact]
    public void ToMimeMessage_UnicodeFileName_IsRfc2231EncodedWithUtf8Label()
    {
        const string FileName = "ünicöde ←→ ✓.txt";
        var message = new Message(subject: "subject", recipients: ["to@example.com"], body: "hello");
        message.Attach(FileName, "text/plain", "this is a test"u8.ToArray());

        var written = FlaskMailFixture.Written(message);

        var attachment = written.Attachments.Single();
        var raw = FlaskMailFixture.RawHeader(attachment, "Content-Disposition");
        Assert.Matches(new Regex(@"filename\*(0\*)?=""?utf-8''%C3%BCnic", RegexOptions.IgnoreCase), raw);
        Assert.DoesNotContain("UTF8''", raw, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(FileName, attachment.ContentDisposition?.FileName);
    }

    // Flask: test_plain_message_with_ascii_converted_attachment
    [Fact]
    public void ToMimeMessage_AsciiAttachmentsOn_FileNameIsTransliteratedToAscii()
    {
        var message = new Message(subject: "subject", recipients: ["to@example.com"], body: "hello");
        message.Attach("ünicödeß ←.→ ✓.txt", "text/plain", "this is a test"u8.ToArray());
        var options = FlaskMailFixture.Options();
        options.AsciiAttachments = true;

        var written = FlaskMailFixture.Written(message, options);

        var attachment = written.Attachments.Single();
        Assert.Equal("attachment; filename=\"unicode . .txt\"", FlaskMailFixture.RawHeader(attachment, "Content-Disposition"));
    }

    // Flask: test_html_message
    [Fact]
    public void ToMimeMessage_HtmlOnly_IsMultipartAlternative()
    {
        const string Html = "<p>Hello World</p>";
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["to@example.com"], html: Html);

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("multipart/alternative", written.Body?.ContentType.MimeType);
        Assert.Equal(Html, message.Html);
    }

    // Flask: test_json_message
    [Fact]
    public void ToMimeMessage_JsonAlternative_IsMultipartAlternativeWithJsonPart()
    {
        const string Json = "{\"msg\": \"Hello World!}";
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["to@example.com"]);
        message.Alternatives["json"] = Json;

        var written = FlaskMailFixture.Written(message);

        var alternative = Assert.IsType<MultipartAlternative>(written.Body);
        Assert.Equal(Json, alternative.OfType<TextPart>().Single(p => p.ContentType.MediaSubtype == "json").Text);
        Assert.Equal(Json, message.Alternatives["json"]);
    }

    // Flask: test_html_message_with_attachments
    [Fact]
    public void ToMimeMessage_BodyHtmlAndAttachment_IsAlternativeThenAttachment()
    {
        const string Html = "<p>Hello World</p>";
        const string Plain = "Hello World";
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["to@example.com"], body: Plain, html: Html);
        message.Attach(null, "text/plain", "this is a test"u8.ToArray());

        var written = FlaskMailFixture.Written(message);

        var mixed = Assert.IsType<Multipart>(written.Body);
        Assert.Equal(2, mixed.Count);
        var alternative = Assert.IsType<MultipartAlternative>(mixed[0]);
        Assert.Equal(
            [("plain", Plain), ("html", Html)],
            alternative.Cast<TextPart>().Select(p => (p.ContentType.MediaSubtype, p.Text)));
        var attachment = Assert.IsAssignableFrom<MimePart>(mixed[1]);
        Assert.Equal(ContentEncoding.Base64, attachment.ContentTransferEncoding);
        using var decoded = new MemoryStream();
        Assert.NotNull(attachment.Content);
        attachment.Content.DecodeTo(decoded);
        Assert.Equal("this is a test"u8.ToArray(), decoded.ToArray());
    }

    // Flask: test_date_header
    [Fact]
    public void ToMimeMessage_ExplicitDate_WritesThatDate()
    {
        var date = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(2));
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["to@example.com"], body: "hello", date: date);

        var written = FlaskMailFixture.Written(message);

        Assert.Equal(DateUtils.FormatDate(date), FlaskMailFixture.RawHeader(written, "Date"));
        Assert.Equal(date, written.Date);
    }

    // Flask: test_msgid_header
    [Fact]
    public void ToMimeMessage_AnyMessage_WritesItsMessageId()
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["to@example.com"], body: "hello");

        var written = FlaskMailFixture.Written(message);

        Assert.Matches(@"^\S+@\S+$", message.MessageId);
        Assert.Equal($"<{message.MessageId}>", FlaskMailFixture.RawHeader(written, "Message-ID"));
    }

    // Beyond Flask's tests: Flask-Mail appends extra headers, writing two Message-IDs; one replaces the other here.
    [Fact]
    public void ToMimeMessage_MessageIdInExtraHeaders_WritesOneMessageId()
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["to@example.com"], body: "hello",
            extraHeaders: new Dictionary<string, string> { ["Message-ID"] = "<custom@example.com>" });

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("<custom@example.com>", FlaskMailFixture.RawHeader(written, "Message-ID"));
    }

    // Flask: test_unicode_sender_tuple (the stray ">" after the address is tolerated)
    [Fact]
    public void ToMimeMessage_NonAsciiSenderTuple_IsRfc2047Encoded()
    {
        var message = new Message(subject: "subject", sender: (NonAsciiName, "from@example.com>"), recipients: ["to@example.com"]);

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("=?utf-8?b?w4TDnMOWIOKGkiDinJM=?= <from@example.com>", FlaskMailFixture.RawHeader(written, "From"), ignoreCase: true);
    }

    // Flask: test_unicode_sender
    [Fact]
    public void ToMimeMessage_NonAsciiSenderString_IsRfc2047Encoded()
    {
        var message = new Message(subject: "subject", sender: $"{NonAsciiName} <from@example.com>>", recipients: ["to@example.com"]);

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("=?utf-8?b?w4TDnMOWIOKGkiDinJM=?= <from@example.com>", FlaskMailFixture.RawHeader(written, "From"), ignoreCase: true);
    }

    // Flask: test_unicode_headers (pins the order of To, which Flask loses through a set)
    [Fact]
    public void ToMimeMessage_NonAsciiNamesInToFromCc_AreEncodedAndKeepTheirOrder()
    {
        var message = new Message(subject: "subject", sender: $"{NonAsciiName} <from@example.com>",
            recipients: ["Ä <t1@example.com>", "Ü <t2@example.com>"], cc: ["Ö <cc@example.com>"]);

        var written = FlaskMailFixture.Written(message);

        Assert.All(new[] { "From", "To", "Cc" }, field => Assert.True(
            FlaskMailFixture.RawHeader(written, field).All(char.IsAscii), $"{field} is written as 7-bit ASCII"));
        Assert.Equal(
            [("Ä", "t1@example.com"), ("Ü", "t2@example.com")],
            written.To.Mailboxes.Select(m => (m.Name, m.Address)));
        Assert.Equal(("Ö", "cc@example.com"), written.Cc.Mailboxes.Select(m => (m.Name, m.Address)).Single());
        Assert.Equal((NonAsciiName, "from@example.com"), written.From.Mailboxes.Select(m => (m.Name, m.Address)).Single());
    }

    // Flask: test_unicode_subject
    [Fact]
    public void ToMimeMessage_NonAsciiSubject_IsRfc2047Encoded()
    {
        var message = new Message(subject: "sübject", sender: "from@example.com", recipients: ["to@example.com"]);

        var written = FlaskMailFixture.Written(message);

        Assert.Matches(new Regex(@"^=\?utf-8\?[bq]\?\S+\?=$", RegexOptions.IgnoreCase), FlaskMailFixture.RawHeader(written, "Subject"));
        Assert.Equal("sübject", written.Subject);
    }

    // Flask: test_extra_headers
    [Fact]
    public void ToMimeMessage_ExtraHeader_IsWritten()
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["to@example.com"], body: "hello",
            extraHeaders: new Dictionary<string, string> { ["X-Extra-Header"] = "Yes" });

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("Yes", FlaskMailFixture.RawHeader(written, "X-Extra-Header"));
    }

    // Flask: test_message_charset (ascii body)
    [Fact]
    public void ToMimeMessage_UsAsciiCharset_PlainPartIsUsAscii()
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["foo@bar.com"], charset: "us-ascii",
            body: "normal ascii text");

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("us-ascii", written.BodyParts.OfType<TextPart>().Single(p => p.IsPlain).ContentType.Charset, ignoreCase: true);
    }

    // Flask: test_message_charset (ascii html)
    [Fact]
    public void ToMimeMessage_UsAsciiCharsetHtmlOnly_HtmlPartIsUsAscii()
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["foo@bar.com"], charset: "us-ascii",
            html: "<html><h1>hello</h1></html>");

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("us-ascii", written.BodyParts.OfType<TextPart>().Single(p => p.IsHtml).ContentType.Charset, ignoreCase: true);
    }

    // Flask: test_message_charset (unicode body)
    [Fact]
    public void ToMimeMessage_DefaultCharsetUnicodeBody_PlainPartIsUtf8()
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["foo@bar.com"], body: "ünicöde ←→ ✓");

        var written = FlaskMailFixture.Written(message);

        var plain = written.BodyParts.OfType<TextPart>().Single(p => p.IsPlain);
        Assert.Equal("utf-8", plain.ContentType.Charset, ignoreCase: true);
        Assert.Equal("ünicöde ←→ ✓", plain.Text.TrimEnd());
    }

    // Flask: test_message_charset (unicode html: an HTML-only message still has a text/plain part)
    [Fact]
    public void ToMimeMessage_DefaultCharsetUnicodeHtmlOnly_HasUtf8PlainAndHtmlParts()
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["foo@bar.com"], html: "ünicöde ←→ ✓");

        var written = FlaskMailFixture.Written(message);

        Assert.Equal(
            [("plain", "utf-8"), ("html", "utf-8")],
            written.BodyParts.OfType<TextPart>().Select(p => (p.ContentType.MediaSubtype, p.ContentType.Charset?.ToLowerInvariant())));
    }

    // Flask: test_message_charset (unicode body and attachments)
    [Fact]
    public void ToMimeMessage_DefaultCharsetWithAttachment_PlainPartIsUtf8()
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["foo@bar.com"], body: "ünicöde");
        message.Attach(null, "text/csv", "foobar"u8.ToArray());

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("utf-8", written.BodyParts.OfType<TextPart>().Single(p => p.IsPlain).ContentType.Charset, ignoreCase: true);
    }

    // Flask: test_message_charset (unicode sender as tuple, shift_jis: Japanese mail goes out as ISO-2022-JP, RFC 1468)
    [Fact]
    public void ToMimeMessage_ShiftJisCharset_EncodesFromSubjectAndReplyToAsIso2022Jp()
    {
        var message = new Message(sender: ("送信者", "from@example.com"), subject: "表題", recipients: ["foo@bar.com"],
            replyTo: "返信先 <somebody@example.com>", charset: "shift_jis", body: "内容");

        var written = FlaskMailFixture.Written(message);

        Assert.Equal(
            ("送信者", "表題", "返信先"),
            (DecodeIso2022JpWord(FlaskMailFixture.RawHeader(written, "From")), DecodeIso2022JpWord(FlaskMailFixture.RawHeader(written, "Subject")),
                DecodeIso2022JpWord(FlaskMailFixture.RawHeader(written, "Reply-To"))));
    }

    // Flask: test_message_charset (unicode subject sjis)
    [Fact]
    public void ToMimeMessage_ShiftJisCharset_BodyIsIso2022Jp()
    {
        var message = new Message(sender: "from@example.com", subject: "表題", recipients: ["foo@bar.com"], charset: "shift_jis", body: "内容");

        var written = FlaskMailFixture.Written(message);

        var plain = Assert.IsType<TextPart>(written.Body);
        Assert.Equal("iso-2022-jp", plain.ContentType.Charset, ignoreCase: true);
        Assert.Equal("内容", plain.GetText(Encoding.GetEncoding("iso-2022-jp")).TrimEnd());
    }

    // Flask: test_message_charset (unicode subject utf-8, ascii subject, default charset)
    [Theory]
    [InlineData("utf-8")]
    [InlineData("us-ascii")]
    [InlineData(null)]
    public void ToMimeMessage_AsciiSubject_IsNotEncoded(string? charset)
    {
        var message = new Message(sender: "from@example.com", subject: "subject", recipients: ["foo@bar.com"], charset: charset, body: "normal ascii text");

        var written = FlaskMailFixture.Written(message);

        Assert.Equal("subject", FlaskMailFixture.RawHeader(written, "Subject"));
    }

    // Flask: test_empty_subject_header
    [Fact]
    public async Task SendAsync_NoSubject_WritesNoSubjectHeader()
    {
        var mailer = FlaskMailFixture.CreateMailer();
        var message = new Message(sender: "from@example.com", recipients: ["foo@bar.com"], body: "normal ascii text");

        await mailer.SendAsync(message);

        Assert.DoesNotContain(FlaskMailFixture.Written(message).Headers, h => h.Id == HeaderId.Subject);
    }

    /// <summary>Decodes the RFC 2047 encoded-word a header starts with, checking it is labelled ISO-2022-JP.
    /// Decoded here rather than by MimeKit, whose charset table depends on what ran first in the process.</summary>
    private static string DecodeIso2022JpWord(string rawHeader)
    {
        var word = Regex.Match(rawHeader, @"^=\?iso-2022-jp\?b\?(?<text>[^?]+)\?=", RegexOptions.IgnoreCase);
        Assert.True(word.Success, $"'{rawHeader}' starts with an ISO-2022-JP encoded-word");
        return Encoding.GetEncoding("iso-2022-jp").GetString(Convert.FromBase64String(word.Groups["text"].Value));
    }
}
