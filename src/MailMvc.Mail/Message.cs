using System.Globalization;
using System.Text;
using MimeKit;
using MimeKit.Utils;

namespace MailMvc.Mail;

/// <summary>
/// An email message with Flask-Mail's fields: subject, recipients, body, HTML, sender, Cc, Bcc,
/// Reply-To, date, charset, extra headers, ESMTP options and attachments.
/// </summary>
public sealed class Message
{
    static Message()
    {
        // Charsets such as shift_jis and iso-2022-jp are not built into .NET.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>Creates a message; every argument is optional and can be set later through its property.</summary>
    public Message(
        string? subject = null,
        IEnumerable<string>? recipients = null,
        string? body = null,
        string? html = null,
        EmailAddress? sender = null,
        IEnumerable<string>? cc = null,
        IEnumerable<string>? bcc = null,
        EmailAddress? replyTo = null,
        DateTimeOffset? date = null,
        string? charset = null,
        IDictionary<string, string>? extraHeaders = null,
        IEnumerable<string>? mailOptions = null,
        IEnumerable<string>? rcptOptions = null)
    {
        Subject = subject;
        Recipients = recipients?.ToList() ?? [];
        Body = body;
        Html = html;
        Sender = sender;
        Cc = cc?.ToList() ?? [];
        Bcc = bcc?.ToList() ?? [];
        ReplyTo = replyTo;
        Date = date;
        Charset = charset;
        ExtraHeaders = new Dictionary<string, string>(extraHeaders ?? new Dictionary<string, string>(), StringComparer.OrdinalIgnoreCase);
        MailOptions = mailOptions?.ToList() ?? [];
        RcptOptions = rcptOptions?.ToList() ?? [];
        MessageId = MimeUtils.GenerateMessageId();
    }

    /// <summary>The subject line. Null or empty means no Subject header.</summary>
    public string? Subject { get; set; }

    /// <summary>The To addresses, <c>"addr"</c> or <c>"Name &lt;addr&gt;"</c>.</summary>
    public List<string> Recipients { get; }

    /// <summary>The plain-text body.</summary>
    public string? Body { get; set; }

    /// <summary>The HTML body.</summary>
    public string? Html { get; set; }

    /// <summary>The sender; null means <see cref="MailOptions.DefaultSender"/>, which is filled in when the message is sent.</summary>
    public EmailAddress? Sender { get; set; }

    /// <summary>The Cc addresses.</summary>
    public List<string> Cc { get; }

    /// <summary>The Bcc addresses: they receive the mail but never appear in a header.</summary>
    public List<string> Bcc { get; }

    /// <summary>The Reply-To address.</summary>
    public EmailAddress? ReplyTo { get; set; }

    /// <summary>The Date header; set to the current time when the message is sent without one.</summary>
    public DateTimeOffset? Date { get; set; }

    /// <summary>The charset of the text parts and encoded headers; null means UTF-8. Shift_JIS and EUC-JP are
    /// written as ISO-2022-JP, the charset of Japanese mail.</summary>
    public string? Charset { get; set; }

    /// <summary>Headers added to the message; a header MailMvc also writes (such as Message-ID) is replaced, not repeated.</summary>
    public Dictionary<string, string> ExtraHeaders { get; }

    /// <summary>ESMTP MAIL FROM options. Supported: <c>RET=FULL|HDRS</c>, <c>ENVID=…</c>, and
    /// <c>BODY=8BITMIME</c> / <c>SMTPUTF8</c>, which MailKit negotiates by itself.</summary>
    public List<string> MailOptions { get; }

    /// <summary>ESMTP RCPT TO options. Supported: <c>NOTIFY=NEVER|SUCCESS,FAILURE,DELAY</c>.</summary>
    public List<string> RcptOptions { get; }

    /// <summary>The Message-ID (without angle brackets), generated when the message is created.</summary>
    public string MessageId { get; set; }

    /// <summary>Scheduled sending: deliver the message no earlier than this (Rails' <c>deliver_later(wait_until:)</c>).
    /// Only a transport that keeps mail until then takes it (the outbox, <c>AddOutbox()</c>); sent straight to a server,
    /// a message whose time is still ahead throws <see cref="InvalidOperationException"/>. A time already past means
    /// now. It becomes the Date header when the message has none.</summary>
    public DateTimeOffset? NotBefore { get; set; }

    /// <summary>The attachments, in the order they were added.</summary>
    public List<Attachment> Attachments { get; } = [];

    /// <summary>Further alternative bodies by MIME subtype (Flask-Mail's <c>alts</c>), for example <c>"json"</c>.</summary>
    public Dictionary<string, string> Alternatives { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Everyone the message is delivered to: recipients, Cc and Bcc, each address once, in that order.</summary>
    public IReadOnlyList<string> SendTo => DistinctAddresses([.. Recipients, .. Cc, .. Bcc], []);

    /// <summary>Marks the message as bulk mail that can be unsubscribed from in one click (RFC 8058 with RFC 2369):
    /// sets <c>List-Unsubscribe</c> to the link (and the <c>mailto:</c> alternative, when given) and
    /// <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>. The link must answer a POST of
    /// <c>List-Unsubscribe=One-Click</c> by unsubscribing, without a login or a redirect, and should hold a token only
    /// the sender can make; a DKIM signature covers both headers by default.</summary>
    /// <param name="oneClickUrl">The HTTPS link (HTTP only for local testing).</param>
    /// <param name="mailTo">An optional <c>mailto:</c> address to unsubscribe by mail.</param>
    /// <exception cref="ArgumentNullException"><paramref name="oneClickUrl"/> is null.</exception>
    /// <exception cref="ArgumentException">The link is not an absolute http(s) address, or <paramref name="mailTo"/> is
    /// not a <c>mailto:</c> address.</exception>
    public void SetListUnsubscribe(Uri oneClickUrl, Uri? mailTo = null)
    {
        ArgumentNullException.ThrowIfNull(oneClickUrl);
        if (!oneClickUrl.IsAbsoluteUri || oneClickUrl.Scheme is not ("https" or "http"))
        {
            throw new ArgumentException($"The unsubscribe link '{oneClickUrl}' must be an absolute https:// address.", nameof(oneClickUrl));
        }

        if (mailTo is not null && (!mailTo.IsAbsoluteUri || mailTo.Scheme != Uri.UriSchemeMailto))
        {
            throw new ArgumentException($"'{mailTo}' is not a mailto: address.", nameof(mailTo));
        }

        ExtraHeaders["List-Unsubscribe"] = mailTo is null ? $"<{oneClickUrl.AbsoluteUri}>" : $"<{oneClickUrl.AbsoluteUri}>, <{mailTo.AbsoluteUri}>";
        ExtraHeaders["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click";
    }

    /// <summary>Adds a To address.</summary>
    /// <exception cref="ArgumentException"><paramref name="recipient"/> is null or blank.</exception>
    public void AddRecipient(string recipient)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(recipient);
        Recipients.Add(recipient);
    }

    /// <summary>Attaches bytes, Flask-Mail's <c>msg.attach(filename, content_type, data, disposition, headers)</c>. A missing
    /// or unparsable content type becomes <c>application/octet-stream</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    public Attachment Attach(string? fileName, string? contentType, byte[] data, string disposition = "attachment",
        IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Add(new Attachment(fileName, ContentTypeOrDefault(contentType), data, null, DispositionOrDefault(disposition), headers, null));
    }

    /// <summary>Attaches the content of a stream, read when the message is written. The stream must stay
    /// open until the message is sent; a seekable stream is rewound each time.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="data"/> is null.</exception>
    public Attachment Attach(string? fileName, string? contentType, Stream data, string disposition = "attachment",
        IReadOnlyDictionary<string, string>? headers = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return Add(new Attachment(fileName, ContentTypeOrDefault(contentType), default, data, DispositionOrDefault(disposition), headers, null));
    }

    /// <summary>
    /// Attaches an inline resource (an image the HTML shows as <c>&lt;img src="cid:{contentId}"&gt;</c>).
    /// It is placed in multipart/related beside the HTML, which Flask-Mail cannot do.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="contentId"/> is blank or contains angle brackets or whitespace.</exception>
    public Attachment AttachInline(string contentId, string? fileName, string contentType, byte[] data)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(contentId);
        ArgumentNullException.ThrowIfNull(data);
        if (contentId.AsSpan().IndexOfAny("<> \t\r\n") >= 0)
        {
            throw new ArgumentException("A Content-ID is written without angle brackets or whitespace, for example \"logo\".", nameof(contentId));
        }

        return Add(new Attachment(fileName, ContentTypeOrDefault(contentType), data, null, "inline", null, contentId));
    }

    /// <summary>
    /// True when a header value could inject headers: CR or LF in the sender, reply-to, a recipient, an
    /// extra header or an attachment's file name or headers, or a subject with a line break that is not a proper folding (CRLF then space or tab
    /// then text).
    /// </summary>
    public bool HasBadHeaders() => FindBadHeader() is not null;

    /// <summary>Builds the MIME message as it is sent, with MimeKit.</summary>
    /// <param name="options">Supplies the default sender and the ASCII attachment name setting; may be null.</param>
    /// <exception cref="BadHeaderException">The subject or an extra header cannot be written safely.</exception>
    /// <exception cref="FormatException">An address is not a valid email address.</exception>
    public MimeMessage ToMimeMessage(MailOptions? options = null) => MimeMessageBuilder.Build(this, options);

    /// <summary>The MIME text of the message, Flask-Mail's <c>as_string()</c>.</summary>
    public override string ToString() => ToMimeMessage().ToString();

    /// <summary>True when the message names a sender: null and empty both mean "use the default sender", as
    /// Flask-Mail's <c>sender or default_sender</c>.</summary>
    internal bool HasSender => Sender is not null && !string.IsNullOrWhiteSpace(Sender.ToString());

    internal string? FindBadHeader()
    {
        if (Sender is { HasNewline: true })
        {
            return "the sender";
        }

        if (ReplyTo is { HasNewline: true })
        {
            return "Reply-To";
        }

        if (Recipients.Concat(Cc).Concat(Bcc).Any(EmailAddress.ContainsNewline))
        {
            return "a recipient";
        }

        if (ExtraHeaders.Any(h => EmailAddress.ContainsNewline(h.Key) || EmailAddress.ContainsNewline(h.Value)))
        {
            return "an extra header";
        }

        if (Attachments.Any(a => EmailAddress.ContainsNewline(a.FileName) || EmailAddress.ContainsNewline(a.ContentId)
            || a.Headers.Any(h => EmailAddress.ContainsNewline(h.Key) || EmailAddress.ContainsNewline(h.Value))))
        {
            return "an attachment's headers";
        }

        return IsSafelyFolded(Subject) ? null : "the subject";
    }

    internal static bool IsSafelyFolded(string? subject)
    {
        if (string.IsNullOrEmpty(subject) || !EmailAddress.ContainsNewline(subject))
        {
            return true;
        }

        var lines = subject.Split("\r\n");
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.Length == 0 || string.IsNullOrWhiteSpace(line) || EmailAddress.ContainsNewline(line))
            {
                return false;
            }

            if (i > 0 && line[0] is not (' ' or '\t'))
            {
                return false;
            }
        }

        return true;
    }

    internal Encoding GetEncoding() => Charset is null ? Encoding.UTF8 : Encoding.GetEncoding(Charset.Trim().ToLowerInvariant() switch
    {
        // Japanese mail is sent as 7-bit ISO-2022-JP (RFC 1468), as Python's email package and Flask-Mail do.
        "shift_jis" or "shift-jis" or "sjis" or "euc-jp" => "iso-2022-jp",
        var name => name,
    });

    /// <summary><paramref name="addresses"/> without those <paramref name="already"/> holds and without repeats (compared by
    /// their address part, in any case), the first spelling kept, in order.</summary>
    internal static List<string> DistinctAddresses(List<string> addresses, IReadOnlyCollection<string> already)
    {
        if (addresses.Count == 0 || (addresses.Count == 1 && already.Count == 0))
        {
            // Nothing to compare (a list's mail has one recipient): no parse of each address to find its twins.
            return [.. addresses];
        }

        var seen = new HashSet<string>(already.Select(NormalizeForComparison), StringComparer.OrdinalIgnoreCase);
        return addresses.Where(a => seen.Add(NormalizeForComparison(a))).ToList();
    }

    /// <summary>The address part, for telling two spellings of one address apart.</summary>
    internal static string NormalizeForComparison(string address)
    {
        try
        {
            return EmailAddress.Parse(address).Address;
        }
        catch (FormatException)
        {
            return address.Trim();
        }
    }

    // A browser's or a caller's type that does not parse is no reason to refuse the file.
    private static string ContentTypeOrDefault(string? contentType) =>
        !string.IsNullOrWhiteSpace(contentType) && ContentType.TryParse(contentType, out _) ? contentType : "application/octet-stream";

    private static string DispositionOrDefault(string? disposition) =>
        string.IsNullOrWhiteSpace(disposition) ? "attachment" : disposition.ToLower(CultureInfo.InvariantCulture);

    private Attachment Add(Attachment attachment)
    {
        Attachments.Add(attachment);
        return attachment;
    }
}
