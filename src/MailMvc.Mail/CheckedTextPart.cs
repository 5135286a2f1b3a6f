using System.Buffers;
using System.Text;
using MimeKit;
using MimeKit.IO;

namespace MailMvc.Mail;

/// <summary>A text part that checks its text once, as the message is built, for what MimeKit scans it for each time the
/// message is prepared for a transport (on the thread that holds the connection): when the text is 7-bit with short
/// lines, preparing it changes nothing, so <see cref="Prepare"/> returns at once. Otherwise (8-bit text, a long line, a
/// line starting with an mbox "From ", content replaced after the build) MimeKit's own preparation runs, as for any
/// <see cref="TextPart"/>.</summary>
/// <remarks>Such a text is written without MimeKit's line-break filter too, when the check knows what the filter would
/// do: its lines all end alike (LF, or CRLF), or it has one line, so writing it for the wire is adding a CR before each
/// LF, or nothing. The filter does that a byte at a time, into a new buffer each time the part is written: it was a
/// tenth of a bulk run's CPU once warm. A text whose last line has no line break (a rendered text twin, trimmed) is
/// written so too where the filter adds none: as one part among others; written as a message's whole body, it goes to
/// MimeKit, whose filter may end it with one. Anything else goes through MimeKit's own writing.</remarks>
internal sealed class CheckedTextPart : TextPart
{
    // The line lengths MimeKit accepts (FormatOptions' own limits); other values go to MimeKit, which refuses them.
    private const int MinimumLineLength = 60;
    private const int MaximumLineLength = 998;

    // The size of the pieces a text is written in when a CR goes before each LF.
    private const int ChunkSize = 16 * 1024;

    private IMimeContent? _checkedContent;
    private byte[]? _checkedBytes;
    private bool _disposed;
    private int _longestLine = int.MaxValue;
    private LineBreaks _lineBreaks;

    public CheckedTextPart(string subtype)
        : base(subtype)
    {
    }

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        base.Dispose(disposing);
    }

    /// <summary>Sets the text, as <see cref="TextPart.SetText(Encoding, string)"/> does, and checks it.</summary>
    public void SetCheckedText(Encoding encoding, string text)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _checkedContent = null;
        _checkedBytes = null;
        _longestLine = int.MaxValue;
        _lineBreaks = LineBreaks.Unknown;
        if (text is null || encoding is null || !EncodesAsciiAsItself(encoding) || CheckSevenBitLines(text) is not { } lines)
        {
            SetText(encoding!, text!);
            return;
        }

        // As SetText does it, but the bytes are kept (and their stream is read-only): the write below reads them, not the
        // content's stream, whose position whoever else reads the content moves.
        var bytes = encoding.GetBytes(text);
        ContentType.CharsetEncoding = encoding;
        Content = _checkedContent = new MimeContent(new MemoryStream(bytes, writable: false));
        _checkedBytes = bytes;
        (_longestLine, _lineBreaks) = lines;
    }

    /// <inheritdoc />
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
        // MimeKit leaves a part without a transfer encoding as it is when its best encoding is 7bit under any
        // constraint: no byte 0 or above 127, no line over the limit, no line starting with "From ".
        if (HoldsCheckedText && constraint is EncodingConstraint.None or EncodingConstraint.SevenBit or EncodingConstraint.EightBit
            && _longestLine <= maxLineLength && maxLineLength is >= MinimumLineLength and <= MaximumLineLength)
        {
            return;
        }

        base.Prepare(constraint, maxLineLength);
    }

    /// <inheritdoc />
    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (!WritesWithoutFilter(options, contentOnly) || stream is null)
        {
            base.WriteTo(options, stream!, contentOnly, cancellationToken);
            return;
        }

        // What MimePart writes: the headers (and the blank line after them) unless only the content is asked for, then
        // the content through the line-break filter.
        if (!contentOnly)
        {
            Headers.WriteTo(options, stream, cancellationToken);
        }

        var bytes = _checkedBytes!;
        if (!AddsCarriageReturns(options))
        {
            Write(stream, bytes, bytes.Length, cancellationToken);
            return;
        }

        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            for (var offset = 0; offset < bytes.Length;)
            {
                (var length, offset) = FillWithCarriageReturns(bytes, offset, chunk);
                Write(stream, chunk, length, cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <inheritdoc />
    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (!WritesWithoutFilter(options, contentOnly) || stream is null)
        {
            await base.WriteToAsync(options, stream!, contentOnly, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!contentOnly)
        {
            await Headers.WriteToAsync(options, stream, cancellationToken).ConfigureAwait(false);
        }

        var bytes = _checkedBytes!;
        if (!AddsCarriageReturns(options))
        {
            await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            return;
        }

        var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            for (var offset = 0; offset < bytes.Length;)
            {
                (var length, offset) = FillWithCarriageReturns(bytes, offset, chunk);
                await stream.WriteAsync(chunk.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    /// <summary>Whether the part is written without MimeKit's line-break filter for <paramref name="options"/>: the content
    /// is the one checked, written as it is (no transfer encoding: <see cref="Prepare"/> returned at once, or was not
    /// called), and the filter would only add a CR before each LF (CRLF out, LF in) or change nothing. The filter's "end
    /// with a line break" adds nothing either: the text ends with one, or the part is written with its headers
    /// (<paramref name="contentOnly"/> false). MimeKit asks for that line break only of a message's whole body, which
    /// it writes as content only (<c>MimeMessage.WriteTo</c>, DKIM's body hash); the parts of a multipart are written with
    /// their headers, and never asked.</summary>
    internal bool WritesWithoutFilter(FormatOptions? options, bool contentOnly) =>
        options is not null && HoldsCheckedText && (!contentOnly || EndsWithLineBreak)
        && (options.NewLineFormat, _lineBreaks) is (NewLineFormat.Dos, LineBreaks.None or LineBreaks.Lf or LineBreaks.CrLf)
            or (NewLineFormat.Unix, LineBreaks.None or LineBreaks.Lf);

    /// <summary>Whether the part holds the text it checked, as it was checked: not disposed, the content not replaced since,
    /// and no transfer encoding given to it (by MimeKit's own <see cref="Prepare"/>, or by hand).</summary>
    private bool HoldsCheckedText =>
        ContentTransferEncoding == ContentEncoding.Default && !_disposed && _checkedBytes is not null && ReferenceEquals(Content, _checkedContent);

    /// <summary>Whether the checked text ends with a line break: its last byte is an LF (the check lets a CR stand only
    /// before one, and the encoding writes ASCII as itself).</summary>
    private bool EndsWithLineBreak => _checkedBytes is [.., (byte)'\n'];

    private bool AddsCarriageReturns(FormatOptions options) => options.NewLineFormat == NewLineFormat.Dos && _lineBreaks == LineBreaks.Lf;

    /// <summary>Copies <paramref name="bytes"/> from <paramref name="offset"/> into <paramref name="chunk"/> with a CR
    /// before each LF, until the chunk is full (a line break that does not fit goes into the next one) or the bytes end.</summary>
    /// <returns>How many bytes the chunk holds, and where the next chunk starts.</returns>
    private static (int Length, int Offset) FillWithCarriageReturns(byte[] bytes, int offset, byte[] chunk)
    {
        var written = 0;
        while (offset < bytes.Length && written < chunk.Length)
        {
            // Only as far as the chunk has room: a line longer than the chunk is not searched again for each chunk.
            var rest = bytes.AsSpan(offset, Math.Min(bytes.Length - offset, chunk.Length - written));
            var end = rest.IndexOf((byte)'\n');
            if (end < 0)
            {
                rest.CopyTo(chunk.AsSpan(written));
                written += rest.Length;
                offset += rest.Length;
                break;
            }

            rest[..end].CopyTo(chunk.AsSpan(written));
            written += end;
            offset += end;
            if (chunk.Length - written < 2)
            {
                break;
            }

            chunk[written++] = (byte)'\r';
            chunk[written++] = (byte)'\n';
            offset++;
        }

        return (written, offset);
    }

    /// <summary>Writes as MimeKit does: through a cancellable stream's own method (MailKit's SMTP streams) with the token.</summary>
    private static void Write(Stream stream, byte[] buffer, int length, CancellationToken cancellationToken)
    {
        if (stream is ICancellableStream cancellable)
        {
            cancellable.Write(buffer, 0, length, cancellationToken);
        }
        else
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.Write(buffer, 0, length);
        }
    }

    /// <summary>Whether <paramref name="encoding"/> writes each ASCII character as its one byte (UTF-8, ASCII, Latin-1),
    /// so that checking the characters checks the bytes.</summary>
    private static bool EncodesAsciiAsItself(Encoding encoding) => encoding.CodePage is 65001 or 20127 or 28591;

    /// <summary>Checks <paramref name="text"/>: the length of its longest line (with the CR of a CRLF, which MimeKit's scan
    /// may count) and how its lines end; or null when the text has a character 0 or above 127, a line starting with
    /// "From ", or a CR that does not end a line.</summary>
    private static (int Longest, LineBreaks Breaks)? CheckSevenBitLines(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAnyExceptInRange('\u0001', '\u007f') >= 0)
        {
            return null;
        }

        var longest = 0;
        int lf = 0, crlf = 0;
        while (true)
        {
            if (text.StartsWith("From ", StringComparison.Ordinal))
            {
                return null;
            }

            var end = text.IndexOfAny('\r', '\n');
            if (end < 0)
            {
                // The last line, empty when the text ends with a line break.
                var breaks = (lf, crlf) switch
                {
                    (0, 0) => LineBreaks.None,
                    ( > 0, 0) => LineBreaks.Lf,
                    (0, > 0) => LineBreaks.CrLf,
                    _ => LineBreaks.Unknown,
                };
                return (Math.Max(longest, text.Length), breaks);
            }

            if (text[end] == '\r' && (end + 1 >= text.Length || text[end + 1] != '\n'))
            {
                return null;
            }

            // A line ending in CRLF counts one more: MimeKit's scan counts the CR too when it ends the 4 KB it reads at a
            // time, so such a line exactly at the limit goes to MimeKit, which decides as it would for any part.
            longest = Math.Max(longest, text[end] == '\r' ? end + 1 : end);
            if (text[end] == '\r')
            {
                crlf++;
                text = text[(end + 2)..];
            }
            else
            {
                lf++;
                text = text[(end + 1)..];
            }
        }
    }

    /// <summary>How the lines of a checked text end: all with LF, all with CRLF, no line break at all (one line, or
    /// none), or mixed, which the fast write leaves to MimeKit.</summary>
    private enum LineBreaks
    {
        Unknown,
        None,
        Lf,
        CrLf,
    }
}
