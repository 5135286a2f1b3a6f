using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace MailMvc.Mail;

/// <summary>Turns a <see cref="Message"/> into the MimeKit message that is written to the wire.</summary>
internal static class MimeMessageBuilder
{
    public static MimeMessage Build(Message message, MailOptions? options)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (!Message.IsSafelyFolded(message.Subject))
        {
            throw new BadHeaderException("The subject contains a line break; a subject is one line of text.");
        }

        var encoding = message.GetEncoding();

        // MimeKit's own constructor gives a new message a Date, an empty Subject and a generated Message-ID, which the
        // lines below would replace at once; this one starts with no headers, and they are added in the order that
        // constructor writes them (From, Date, Subject, Message-Id, then To and the rest), so the mail is the same.
        var mime = new MimeMessage(new HeaderList());
        var sender = message.HasSender ? message.Sender : (options?.DefaultSender is { Length: > 0 } d ? new EmailAddress(d) : null);
        AddFrom(mime, sender, encoding);
        SetDate(mime, message.Date ?? DateTimeOffset.Now);
        if (!string.IsNullOrEmpty(message.Subject))
        {
            // A safely folded subject is unfolded; MimeKit folds it again where it needs to. No subject means no
            // header, as in Flask-Mail.
            mime.Headers.Add(HeaderId.Subject, encoding, message.Subject.Replace("\r\n", ""));
        }

        // Its place now, its value after the addresses: a message with a bad address and a bad Message-ID reports the
        // address, as it always has.
        mime.Headers.Add(HeaderId.MessageId, string.Empty);

        // An address given twice is written once (as it is sent once); Cc leaves out who is already in To.
        var to = Message.DistinctAddresses(message.Recipients, []);
        mime.To.AddRange(to.Select(r => EmailAddress.Parse(r, encoding)));
        mime.Cc.AddRange(Message.DistinctAddresses(message.Cc, to).Select(r => EmailAddress.Parse(r, encoding)));
        if (message.ReplyTo is not null)
        {
            mime.ReplyTo.Add(message.ReplyTo.ToMailboxAddress(encoding));
        }

        mime.MessageId = message.MessageId;
        foreach (var (name, value) in message.ExtraHeaders)
        {
            if (EmailAddress.ContainsNewline(value) || EmailAddress.ContainsNewline(name))
            {
                throw new BadHeaderException($"The extra header '{name.ReplaceLineEndings(" ")}' contains a line break.");
            }

            mime.Headers.Replace(name, encoding, value);
        }

        mime.Body = BuildBody(message, encoding, options?.AsciiAttachments ?? false);

        // Where MimeKit's Prepare (run by every transport before writing) would add it, last, unless the caller's
        // extra headers have one; as a copy of a header encoded once, where Prepare's SetHeader encodes and folds "1.0"
        // again on the send thread for every mail. (MimeKit's Clone shares the raw bytes, as it does for any header.)
        if (!mime.Headers.Contains(HeaderId.MimeVersion))
        {
            mime.Headers.Add(s_mimeVersion.Clone());
        }

        return MimeFinalizers.Suppress(mime);
    }

    private static readonly Header s_mimeVersion = new(HeaderId.MimeVersion, "1.0");

    // The Date header of the last second a mail was built in, encoded once (a bulk send builds thousands a second).
    private static EncodedDate? s_lastDate;

    /// <summary>Gives <paramref name="mime"/> its Date header as MimeKit's <see cref="MimeMessage.Date"/> writes it: a
    /// copy of the one encoded for the same second and offset. Setting the property formatted the date and encoded the
    /// header again for every mail, on the thread that builds it (5% of a bulk send thread's samples). The message's
    /// <see cref="MimeMessage.Date"/> then reads the header, as for a parsed message: the date to the second, as it is
    /// written. Where MimeKit would not read back what it writes, the property is set as before.</summary>
    private static void SetDate(MimeMessage mime, DateTimeOffset date)
    {
        var second = date.UtcTicks / TimeSpan.TicksPerSecond;
        if (Volatile.Read(ref s_lastDate) is not { } last || last.Second != second || last.Offset != date.Offset)
        {
            last = new EncodedDate(second, date.Offset, EncodeDate(date));
            Volatile.Write(ref s_lastDate, last);
        }

        if (last.Header is { } header)
        {
            // MimeKit's Clone shares the encoded bytes; nothing changes the kept header itself.
            mime.Headers.Add(header.Clone());
        }
        else
        {
            mime.Date = date;
        }
    }

    /// <summary>The Date header MimeKit writes for <paramref name="date"/>; null when its parser does not read it back
    /// as that date to the second (it writes an offset of −03:30 as <c>-03-30</c>, which it cannot read).</summary>
    private static Header? EncodeDate(DateTimeOffset date)
    {
        var header = WrittenHeader(HeaderId.Date, scratch => scratch.Date = date);
        var written = date.AddTicks(-(date.Ticks % TimeSpan.TicksPerSecond));
        return DateUtils.TryParse(header.RawValue, 0, header.RawValue.Length, out var read) && read == written && read.Offset == written.Offset
            ? header
            : null;
    }

    /// <summary>The Date header of one second and offset; null when it is set through the property.</summary>
    private sealed record EncodedDate(long Second, TimeSpan Offset, Header? Header);

    // The From header of the last printable-ASCII sender a mail was built for, encoded once (a bulk send has one sender).
    private static EncodedFrom? s_lastFrom;

    /// <summary>Gives <paramref name="mime"/> its From header, first, as adding the sender to <see cref="MimeMessage.From"/>
    /// writes it: for a sender in printable ASCII, a copy of the header encoded for the same sender. Adding the sender
    /// serialised the address list and encoded the header again for every mail (2.4 KB and about 4 µs a mail). The
    /// message's <see cref="MimeMessage.From"/> then reads the header, as for a parsed message: the same name and
    /// address. A sender with other characters (which MimeKit may encode in the message's charset) is added as before,
    /// so its mailbox keeps that charset for its name. Without a sender, the header is there, empty, as before.</summary>
    /// <exception cref="FormatException">The sender is not a valid address.</exception>
    private static void AddFrom(MimeMessage mime, EmailAddress? sender, Encoding encoding)
    {
        if (sender is null || !sender.IsPrintableAscii)
        {
            mime.Headers.Add(HeaderId.From, string.Empty);
            if (sender is not null)
            {
                mime.From.Add(sender.ToMailboxAddress(encoding));
            }

            return;
        }

        if (Volatile.Read(ref s_lastFrom) is not { } last || !last.Sender.IsGivenAs(sender))
        {
            last = new EncodedFrom(sender, EncodeFrom(sender));
            Volatile.Write(ref s_lastFrom, last);
        }

        // MimeKit's Clone shares the encoded bytes; nothing changes the kept header itself.
        mime.Headers.Add(last.Header.Clone());
    }

    /// <summary>The From header MimeKit writes for <paramref name="sender"/> (printable ASCII, so the same in any
    /// charset).</summary>
    private static Header EncodeFrom(EmailAddress sender) => WrittenHeader(HeaderId.From, scratch =>
    {
        scratch.Headers.Add(HeaderId.From, string.Empty);
        scratch.From.Add(sender.ToMailboxAddress());
    });

    /// <summary>Header <paramref name="id"/> as MimeKit writes it once <paramref name="set"/> has set it on a new, empty
    /// message: the headers encoded once and copied into each mail.</summary>
    private static Header WrittenHeader(HeaderId id, Action<MimeMessage> set)
    {
        var scratch = MimeFinalizers.Suppress(new MimeMessage(new HeaderList()));
        set(scratch);
        return scratch.Headers[scratch.Headers.IndexOf(id)];
    }

    /// <summary>The From header of one sender, as given.</summary>
    private sealed record EncodedFrom(EmailAddress Sender, Header Header);

    /// <summary>Flask-Mail's ASCII file names: NFKD, drop what is not ASCII, collapse whitespace.</summary>
    public static string ToAsciiFileName(string fileName)
    {
        var decomposed = fileName.Normalize(NormalizationForm.FormKD);
        var ascii = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (c < 128)
            {
                ascii.Append(c);
            }
        }

        return string.Join(' ', ascii.ToString().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
    }

    private static MimeEntity BuildBody(Message message, Encoding encoding, bool asciiFileNames)
    {
        var inline = message.Attachments.Where(a => a.IsInlineResource && message.Html is not null).ToList();
        var attached = message.Attachments.Except(inline).ToList();

        MimeEntity body;
        if (message.Html is null && message.Alternatives.Count == 0)
        {
            body = Text("plain", message.Body ?? "", encoding);
        }
        else
        {
            var alternative = new MultipartAlternative { Text("plain", message.Body ?? "", encoding) };
            if (message.Html is not null)
            {
                alternative.Add(WithInlineResources(Text("html", message.Html, encoding), inline, asciiFileNames));
            }

            foreach (var (subtype, content) in message.Alternatives)
            {
                alternative.Add(Text(subtype, content, encoding));
            }

            body = alternative;
        }

        if (attached.Count == 0)
        {
            return body;
        }

        var mixed = new Multipart("mixed") { body };
        foreach (var attachment in attached)
        {
            mixed.Add(ToMimePart(attachment, asciiFileNames));
        }

        return mixed;
    }

    private static MimeEntity WithInlineResources(TextPart html, List<Attachment> inline, bool asciiFileNames)
    {
        if (inline.Count == 0)
        {
            return html;
        }

        // The first part of multipart/related is its root; setting Root as well would add the HTML a second time.
        var related = new MultipartRelated { html };
        foreach (var resource in inline)
        {
            related.Add(ToMimePart(resource, asciiFileNames));
        }

        return related;
    }

    private static TextPart Text(string subtype, string text, Encoding encoding)
    {
        var part = new CheckedTextPart(subtype);
        part.SetCheckedText(encoding, text);
        return part;
    }

    private static MimePart ToMimePart(Attachment attachment, bool asciiFileNames)
    {
        var part = new MimePart(ContentType.Parse(attachment.ContentType))
        {
            Content = new MimeContent(attachment.OpenRead()),
            ContentTransferEncoding = ContentEncoding.Base64,
            ContentDisposition = new ContentDisposition(attachment.Disposition),
        };
        if (attachment.FileName is { } fileName)
        {
            part.ContentDisposition.FileName = asciiFileNames ? ToAsciiFileName(fileName) : fileName;
        }

        if (attachment.ContentId is { } contentId)
        {
            part.ContentId = contentId;
        }

        foreach (var (name, value) in attachment.Headers)
        {
            if (EmailAddress.ContainsNewline(value) || EmailAddress.ContainsNewline(name))
            {
                throw new BadHeaderException(string.Create(CultureInfo.InvariantCulture, $"The attachment header '{name.ReplaceLineEndings(" ")}' contains a line break."));
            }

            part.Headers.Replace(name, value);
        }

        return part;
    }
}
