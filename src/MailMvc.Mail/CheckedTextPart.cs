using System.Buffers;
using System.Text;
using MimeKit;

namespace MailMvc.Mail;

/// <summary>A text part that checks its text once, as the message is built, for what MimeKit scans it for each time the
/// message is prepared for a transport (on the thread that holds the connection): when the text is 7-bit with short
/// lines, preparing it changes nothing, so <see cref="Prepare"/> returns at once. Otherwise (8-bit text, a long line, a
/// line starting with an mbox "From ", content replaced after the build) MimeKit's own preparation runs, as for any
/// <see cref="TextPart"/>.</summary>
/// <remarks>Such a text is written without MimeKit's line-break filter too, when the check knows what the filter would
/// do: its lines all end alike (LF, or CRLF) and so does the text, so writing it for the wire is adding a CR before
/// each LF, or nothing. The filter does that a byte at a time, into a new buffer each time the part is written: it was
/// a tenth of a bulk run's CPU once warm. Anything else goes through MimeKit's own writing.</remarks>
internal sealed class CheckedTextPart : TextPart
{
    // The line lengths MimeKit accepts (FormatOptions' own limits); other values go to MimeKit, which refuses them.
    private const int MinimumLineLength = 60;
    private const int MaximumLineLength = 998;

    private IMimeContent? _checkedContent;
    private int _longestLine = int.MaxValue;
    private LineBreaks _lineBreaks;
    private int _lineCount;

    public CheckedTextPart(string subtype)
        : base(subtype)
    {
    }

    /// <summary>Sets the text, as <see cref="TextPart.SetText(Encoding, string)"/> does, and checks it.</summary>
    public void SetCheckedText(Encoding encoding, string text)
    {
        SetText(encoding, text);
        _checkedContent = null;
        _longestLine = int.MaxValue;
        _lineBreaks = LineBreaks.Unknown;
        if (Content is { Encoding: ContentEncoding.Default } content && EncodesAsciiAsItself(encoding) && CheckSevenBitLines(text) is { } lines)
        {
            _checkedContent = content;
            (_longestLine, _lineBreaks, _lineCount) = lines;
        }
    }

    /// <inheritdoc />
    public override void Prepare(EncodingConstraint constraint, int maxLineLength = 78)
    {
        // MimeKit leaves a part without a transfer encoding as it is when its best encoding is 7bit under any
        // constraint: no byte 0 or above 127, no line over the limit, no line starting with "From ".
        if (ContentTransferEncoding == ContentEncoding.Default
            && _checkedContent is not null && ReferenceEquals(Content, _checkedContent)
            && _longestLine <= maxLineLength && maxLineLength is >= MinimumLineLength and <= MaximumLineLength)
        {
            return;
        }

        base.Prepare(constraint, maxLineLength);
    }

    /// <inheritdoc />
    public override void WriteTo(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (!WritesUnfiltered(options, stream))
        {
            base.WriteTo(options, stream, contentOnly, cancellationToken);
            return;
        }

        // What MimePart writes: the headers (and the blank line after them) unless only the content is asked for, then
        // the content through the line-break filter.
        if (!contentOnly)
        {
            Headers.WriteTo(options, stream, cancellationToken);
        }

        var (buffer, length) = ContentForWire(options);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            stream.Write(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <inheritdoc />
    public override async Task WriteToAsync(FormatOptions options, Stream stream, bool contentOnly, CancellationToken cancellationToken = default)
    {
        if (!WritesUnfiltered(options, stream))
        {
            await base.WriteToAsync(options, stream, contentOnly, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!contentOnly)
        {
            await Headers.WriteToAsync(options, stream, cancellationToken).ConfigureAwait(false);
        }

        var (buffer, length) = ContentForWire(options);
        try
        {
            await stream.WriteAsync(buffer.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Whether the checked content can be written as <see cref="ContentForWire"/> makes it: the content is the one
    /// checked, written as it is (no transfer encoding: <see cref="Prepare"/> returned at once, or was not called), and
    /// the line-break filter would only add a CR before each LF (CRLF out, LF in) or change nothing. The text ends with a
    /// line break, so the filter's "end with a line break" (for a part that is the whole body) adds nothing either.</summary>
    private bool WritesUnfiltered(FormatOptions options, Stream stream) =>
        options is not null && stream is not null
        && _checkedContent is not null && ReferenceEquals(Content, _checkedContent)
        && ContentTransferEncoding == ContentEncoding.Default && _checkedContent.Encoding == ContentEncoding.Default
        && _checkedContent.Stream is { CanSeek: true, CanRead: true, Length: <= int.MaxValue / 2 }
        && (options.NewLineFormat, _lineBreaks) is (NewLineFormat.Dos, LineBreaks.Lf or LineBreaks.CrLf) or (NewLineFormat.Unix, LineBreaks.Lf);

    /// <summary>The content with each LF written as the wire's CRLF (when the text has LFs and the wire wants CRLF), or as it
    /// is, in a buffer from the shared pool that the caller returns.</summary>
    private (byte[] Buffer, int Length) ContentForWire(FormatOptions options)
    {
        var content = _checkedContent!.Stream!;
        var length = (int)content.Length;
        var addCarriageReturns = options.NewLineFormat == NewLineFormat.Dos && _lineBreaks == LineBreaks.Lf;
        var source = ArrayPool<byte>.Shared.Rent(Math.Max(1, length));
        content.Position = 0;
        content.ReadExactly(source, 0, length);
        if (!addCarriageReturns)
        {
            return (source, length);
        }

        var output = ArrayPool<byte>.Shared.Rent(length + _lineCount);
        var rest = source.AsSpan(0, length);
        var written = 0;
        for (var end = rest.IndexOf((byte)'\n'); end >= 0; end = rest.IndexOf((byte)'\n'))
        {
            rest[..end].CopyTo(output.AsSpan(written));
            written += end;
            output[written++] = (byte)'\r';
            output[written++] = (byte)'\n';
            rest = rest[(end + 1)..];
        }

        rest.CopyTo(output.AsSpan(written));
        written += rest.Length;
        ArrayPool<byte>.Shared.Return(source);
        return (output, written);
    }

    /// <summary>Whether <paramref name="encoding"/> writes each ASCII character as its one byte (UTF-8, ASCII, Latin-1),
    /// so that checking the characters checks the bytes.</summary>
    private static bool EncodesAsciiAsItself(Encoding encoding) => encoding.CodePage is 65001 or 20127 or 28591;

    /// <summary>Checks <paramref name="text"/>: the length of its longest line (a CR before the LF not counted, as MimeKit
    /// counts), how its lines end and how many line breaks it has; or null when the text has a character 0 or above 127,
    /// a line starting with "From ", or a CR that does not end a line.</summary>
    private static (int Longest, LineBreaks Breaks, int Count)? CheckSevenBitLines(ReadOnlySpan<char> text)
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
                // The last line: without a line break after it, the filter's "end with a line break" may add one.
                var breaks = text.Length > 0 ? LineBreaks.Unknown : (lf, crlf) switch
                {
                    ( > 0, 0) => LineBreaks.Lf,
                    (0, > 0) => LineBreaks.CrLf,
                    _ => LineBreaks.Unknown,
                };
                return (Math.Max(longest, text.Length), breaks, lf + crlf);
            }

            if (text[end] == '\r' && (end + 1 >= text.Length || text[end + 1] != '\n'))
            {
                return null;
            }

            longest = Math.Max(longest, end);
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

    /// <summary>How the lines of a checked text end: all with LF, all with CRLF, or otherwise (mixed, none, or a last line
    /// without a line break), which the fast write leaves to MimeKit.</summary>
    private enum LineBreaks
    {
        Unknown,
        Lf,
        CrLf,
    }
}
