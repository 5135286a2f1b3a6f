using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>
/// A stored mail (the bytes <see cref="WireFormat"/> wrote) back as a <see cref="MimeMessage"/> for delivery. When
/// the transport only writes the message and reads its top-level headers, and no part would be re-encoded on the
/// way out, the message sends its stored bytes as they are instead of writing its parts again (MailKit prepares and
/// serializes a parsed message each time it is sent); otherwise it is the message parsed in full.
/// </summary>
internal static class StoredMessage
{
    // What MailKit's SmtpClient prepares a message for: longer lines would be re-encoded.
    private const int MaxLineLength = 998;

    private static ReadOnlySpan<byte> HeaderEnd => "\r\n\r\n"u8;

    private static ReadOnlySpan<byte> MboxMarker => "From "u8;

    /// <summary>Whether every layer of <paramref name="transport"/> is one of the built-in transports that only write a
    /// message and read its top-level headers (SMTP, the pickup folder, several servers, budgets, tracing). DKIM
    /// signing prepares and canonicalizes the parts, and a transport or wrapper of the app's own may read anything.</summary>
    public static bool IsSentAsStoredBy(IMailTransport transport) => transport switch
    {
        SmtpMailTransport or PickupDirectoryTransport => true,
        Telemetry.TracingTransport or RateLimitedTransport => IsSentAsStoredBy(((IMailTransportWrapper)transport).Inner),
        MultiServerTransport multi => multi.Servers.All(IsSentAsStoredBy),
        _ => false,
    };

    /// <summary>Whether <paramref name="message"/>, written as <paramref name="written"/>, can go out as those bytes
    /// (what <see cref="Load"/> checks, found from the message in memory when it is stored, without parsing).</summary>
    public static bool CanBeSentAsStored(MimeMessage message, byte[] written)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(written);
        return FindBody(written) is not null && IsSevenBitWithShortLines(written) && NeedsNoPreparation(message);
    }

    /// <summary>The message in <paramref name="mime"/>; with <paramref name="asStored"/>, one that writes the stored
    /// bytes as they are when nothing in it would be re-encoded.</summary>
    /// <param name="mime">The stored bytes.</param>
    /// <param name="asStored">Whether the transport only writes the message (<see cref="IsSentAsStoredBy"/>).</param>
    /// <param name="checkedWhenStored">True when <see cref="CanBeSentAsStored"/> said so as the mail was stored: its
    /// parts are then not parsed at all.</param>
    /// <exception cref="ParseException">The bytes are not a MIME message.</exception>
    public static MimeMessage Load(byte[] mime, bool asStored, bool checkedWhenStored = false)
    {
        ArgumentNullException.ThrowIfNull(mime);
        if (asStored && checkedWhenStored && FindBody(mime) is { } checkedBody)
        {
            return AsStored(mime, checkedBody);
        }

        // Persistent: the parts' content stays in the stored bytes instead of being copied out of them.
        var parsed = MimeFinalizers.Suppress(MimeMessage.Load(ParserOptions.Default, new MemoryStream(mime, writable: false), persistent: true));
        return asStored && FindBody(mime) is { } bodyStart && IsSevenBitWithShortLines(mime) && NeedsNoPreparation(parsed)
            ? AsStored(mime, bodyStart)
            : parsed;
    }

    private static MimeMessage AsStored(byte[] mime, int bodyStart)
    {
        var headers = HeaderList.Load(ParserOptions.Default, new MemoryStream(mime, 0, bodyStart, writable: false));
        return MimeFinalizers.Suppress(new MimeMessage(headers) { Body = new StoredBody(mime.AsMemory(bodyStart)) });
    }

    /// <summary>Whether preparing the message for a transport would leave it as it is (see <see cref="NeedsNoReencoding"/>;
    /// a message without MIME-Version whose body has headers would be given one).</summary>
    private static bool NeedsNoPreparation(MimeMessage message) =>
        NeedsNoReencoding(message.Body) && !(message.MimeVersion is null && message.Body?.Headers.Count > 0);

    /// <returns>Where the body starts, after the blank line ending the top-level headers; null when there is none.</returns>
    private static int? FindBody(byte[] mime)
    {
        var end = mime.AsSpan().IndexOf(HeaderEnd);
        return end < 0 ? null : end + HeaderEnd.Length;
    }

    /// <summary>Whether the bytes fit a 7-bit transport as they are, as MimeKit judges a part's content before
    /// sending it (<c>BestEncodingFilter</c>): no byte 0 or above 127, CR and LF only as CRLF, no line longer than
    /// MailKit's limit, no line starting with an mbox "From ", and a line break at the end.</summary>
    private static bool IsSevenBitWithShortLines(ReadOnlySpan<byte> mime)
    {
        if (mime.IndexOfAnyExceptInRange((byte)1, (byte)127) >= 0)
        {
            return false;
        }

        while (!mime.IsEmpty)
        {
            var lineEnd = mime.IndexOfAny((byte)'\r', (byte)'\n');
            if (lineEnd < 0 || lineEnd > MaxLineLength || mime[lineEnd] != '\r' || lineEnd + 1 >= mime.Length || mime[lineEnd + 1] != '\n'
                || mime.StartsWith(MboxMarker))
            {
                return false;
            }

            mime = mime[(lineEnd + 2)..];
        }

        return true;
    }

    /// <summary>Whether preparing <paramref name="entity"/> for any transport leaves it as it is and needs no 8BITMIME
    /// or BINARYMIME: each part is already base64, quoted-printable or uuencoded, or is text without a transfer encoding
    /// or in 7bit, whose content <see cref="IsSevenBitWithShortLines"/> has checked; no part is an attached message.</summary>
    private static bool NeedsNoReencoding(MimeEntity? entity) => entity switch
    {
        null => true,
        Multipart multipart => multipart.All(NeedsNoReencoding),
        // An attached message is written with the transport's options, which hide its Bcc and Resent-Bcc headers: its
        // stored bytes still have them.
        MessagePart => false,
        MimePart part => part.ContentTransferEncoding switch
        {
            ContentEncoding.Base64 or ContentEncoding.QuotedPrintable or ContentEncoding.UUEncode => true,
            ContentEncoding.Default or ContentEncoding.SevenBit => part.ContentType.IsMimeType("text", "*") || part.ContentType.IsMimeType("message", "*"),
            _ => false,
        },
        _ => false,
    };
}
