using MailMvc.Mail.Dkim;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging.Abstractions;
using MimeKit;

namespace MailMvc.Mail.Tests.Transport;

/// <summary>A stored mail is sent as the bytes stored only when nothing in it would be re-encoded on the way out and
/// the transport only writes it; otherwise it is parsed in full, as before.</summary>
public sealed class StoredMessageTests
{
    [Fact]
    public void Load_AsciiMailWithAttachments_WritesTheStoredBytesWithoutParsingTheParts()
    {
        var stored = Stored(Mail("Zoe", "EUR"));

        var message = StoredMessage.Load(stored, asStored: true);

        Assert.IsType<StoredBody>(message.Body);
        Assert.Equal(stored, Written(message, WireFormat.Options));
        Assert.Equal(stored, Written(message, SmtpFormat()));
        Assert.Equal("wire@example.com", message.MessageId);
        Assert.True(message.Headers.Contains("List-Unsubscribe"));
    }

    [Fact]
    public void Load_AsciiMailPreparedForSevenBit_WritesWhatTheParsedMessageWrites()
    {
        var stored = Stored(Mail("Zoe", "EUR"));
        var parsed = StoredMessage.Load(stored, asStored: false);
        parsed.Prepare(EncodingConstraint.SevenBit, 998);
        var asStored = StoredMessage.Load(stored, asStored: true);
        asStored.Prepare(EncodingConstraint.SevenBit, 998);

        Assert.Equal(Written(parsed, SmtpFormat()), Written(asStored, SmtpFormat()));
    }

    [Theory]
    [InlineData("Zoë", "EUR")] // 8-bit text: preparing it for the server adds a transfer encoding
    [InlineData("Zoe", "€")] // an 8-bit attachment is base64: the text is what counts, and it is ASCII
    public void Load_EightBitContent_ParsedInFullOnlyWhenItsTextWouldBeReencoded(string name, string currency)
    {
        var stored = Stored(Mail(name, currency));

        var message = StoredMessage.Load(stored, asStored: true);

        Assert.Equal(name == "Zoe", message.Body is StoredBody);
    }

    [Fact]
    public void Load_PartWithoutTransferEncodingThatIsNotText_ParsedInFull()
    {
        var mime = new MimeMessage { Subject = "Data", Body = new MimePart("application", "json") { Content = new MimeContent(new MemoryStream("{}"u8.ToArray())) } };

        var message = StoredMessage.Load(Stored(mime), asStored: true);

        Assert.IsNotType<StoredBody>(message.Body);
    }

    [Fact]
    public void Load_LineLongerThanSmtpAllows_ParsedInFull()
    {
        var message = StoredMessage.Load(Stored(new Message("Long", ["a@example.com"], body: new string('x', 999)).ToMimeMessage()), asStored: true);

        Assert.IsNotType<StoredBody>(message.Body);
    }

    [Fact]
    public void Load_CheckedWhenStored_WritesTheStoredBytesWithoutParsingTheParts()
    {
        var stored = Stored(Mail("Zoe", "EUR"));

        var message = StoredMessage.Load(stored, asStored: true, checkedWhenStored: true);

        Assert.IsType<StoredBody>(message.Body);
        Assert.Equal(stored, Written(message, SmtpFormat()));
        Assert.Equal("News for Zoe", message.Subject);
    }

    [Theory]
    [InlineData("Zoe", "EUR", true)]
    [InlineData("Zoe", "€", true)]
    [InlineData("Zoë", "EUR", false)]
    public void CanBeSentAsStored_BuiltMail_TrueOnlyWhenNothingWouldBeReencoded(string name, string currency, bool expected)
    {
        var mail = Mail(name, currency);

        Assert.Equal(expected, StoredMessage.CanBeSentAsStored(mail, Stored(mail)));
    }

    [Fact]
    public void CanBeSentAsStored_PartWithoutTransferEncodingThatIsNotText_False()
    {
        var mime = new MimeMessage { Subject = "Data", Body = new MimePart("application", "json") { Content = new MimeContent(new MemoryStream("{}"u8.ToArray())) } };

        Assert.False(StoredMessage.CanBeSentAsStored(mime, Stored(mime)));
    }

    [Fact]
    public void CanBeSentAsStored_ForwardedMessageWithBcc_FalseAndTheBccStaysHidden()
    {
        var forwarded = new MimeMessage { Subject = "Original", Body = new TextPart("plain") { Text = "The original.\n" } };
        forwarded.From.Add(new MailboxAddress(null, "ada@example.com"));
        forwarded.To.Add(new MailboxAddress(null, "bob@example.com"));
        forwarded.Bcc.Add(new MailboxAddress(null, "secret@example.com"));
        var mime = new MimeMessage { Subject = "Fwd: Original", Body = new MessagePart { Message = forwarded } };
        mime.From.Add(new MailboxAddress(null, "bob@example.com"));
        mime.To.Add(new MailboxAddress(null, "cy@example.com"));
        var stored = Stored(mime);

        // As MailKit writes a message for the server: Bcc hidden, in the attached message too.
        var smtp = SmtpFormat();
        smtp.HiddenHeaders.Add(HeaderId.Bcc);
        smtp.HiddenHeaders.Add(HeaderId.ResentBcc);

        var message = StoredMessage.Load(stored, asStored: true);

        Assert.False(StoredMessage.CanBeSentAsStored(mime, stored));
        Assert.IsNotType<StoredBody>(message.Body);
        Assert.DoesNotContain("secret@example.com", System.Text.Encoding.ASCII.GetString(Written(message, smtp)), StringComparison.Ordinal);
    }

    [Fact]
    public void Load_NotAsStored_ParsedInFull()
    {
        var message = StoredMessage.Load(Stored(Mail("Zoe", "EUR")), asStored: false);

        Assert.IsType<Multipart>(message.Body);
    }

    [Fact]
    public void IsSentAsStoredBy_SmtpOrPickupFolderOrSeveralServers_TrueButDkimOrAnAppsTransportFalse()
    {
        var options = new MailOptions { Server = "127.0.0.1", Port = 25 };
        var smtp = MailTransports.Smtp(options, NullLoggerFactory.Instance, null);
        var dkimOptions = new DkimOptions { Domain = "example.com", Selector = "s", PrivateKey = System.Security.Cryptography.RSA.Create(2048).ExportPkcs8PrivateKeyPem() };

        Assert.True(StoredMessage.IsSentAsStoredBy(new Telemetry.TracingTransport(smtp, options.Telemetry)));
        Assert.True(StoredMessage.IsSentAsStoredBy(new PickupDirectoryTransport(Path.GetTempPath())));
        Assert.True(StoredMessage.IsSentAsStoredBy(new MultiServerTransport([smtp, smtp], ServerStrategy.Failover, TimeSpan.Zero, TimeProvider.System)));
        Assert.False(StoredMessage.IsSentAsStoredBy(new DkimSigningTransport(smtp, dkimOptions)));
        Assert.False(StoredMessage.IsSentAsStoredBy(new CapturingTransport()));
    }

    private static MimeMessage Mail(string name, string currency)
    {
        var message = new Message($"News for {name}", [$"{name} <zoe@example.com>"], body: $"Hello {name},\nthe menu is attached.",
            html: $"<p>Hello {name}, <img src=\"cid:logo\" alt=\"Logo\"></p>",
            extraHeaders: new Dictionary<string, string> { ["List-Unsubscribe"] = "<https://example.com/unsubscribe/abc>" })
        {
            MessageId = "wire@example.com",
        };
        message.AttachInline("logo", "logo.png", "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]);
        message.Attach("menu.txt", "text/plain", System.Text.Encoding.UTF8.GetBytes($"Croissant 2 {currency}\n"));
        return message.ToMimeMessage(new MailOptions { DefaultSender = "MailMvc <news@example.com>" });
    }

    private static byte[] Stored(MimeMessage message) => Written(message, WireFormat.Options);

    private static byte[] Written(MimeMessage message, FormatOptions format)
    {
        using var bytes = new MemoryStream();
        message.WriteTo(format, bytes);
        return bytes.ToArray();
    }

    /// <summary>What MailKit's SmtpClient writes with: CRLF, a line break at the end ensured.</summary>
    private static FormatOptions SmtpFormat()
    {
        var format = FormatOptions.Default.Clone();
        format.NewLineFormat = NewLineFormat.Dos;
        format.EnsureNewLine = true;
        return format;
    }
}
