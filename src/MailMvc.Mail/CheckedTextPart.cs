using System.Text;
using MimeKit;

namespace MailMvc.Mail;

/// <summary>A text part that checks its text once, as the message is built, for what MimeKit scans it for each time the
/// message is prepared for a transport (on the thread that holds the connection): when the text is 7-bit with short
/// lines, preparing it changes nothing, so <see cref="Prepare"/> returns at once. Otherwise (8-bit text, a long line, a
/// line starting with an mbox "From ", content replaced after the build) MimeKit's own preparation runs, as for any
/// <see cref="TextPart"/>.</summary>
internal sealed class CheckedTextPart : TextPart
{
    // The line lengths MimeKit accepts (FormatOptions' own limits); other values go to MimeKit, which refuses them.
    private const int MinimumLineLength = 60;
    private const int MaximumLineLength = 998;

    private IMimeContent? _checkedContent;
    private int _longestLine = int.MaxValue;

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
        if (Content is { Encoding: ContentEncoding.Default } content && EncodesAsciiAsItself(encoding) && LongestSevenBitLine(text) is { } longest)
        {
            _checkedContent = content;
            _longestLine = longest;
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

    /// <summary>Whether <paramref name="encoding"/> writes each ASCII character as its one byte (UTF-8, ASCII, Latin-1),
    /// so that checking the characters checks the bytes.</summary>
    private static bool EncodesAsciiAsItself(Encoding encoding) => encoding.CodePage is 65001 or 20127 or 28591;

    /// <summary>The length of the longest line of <paramref name="text"/> (a CR before the LF not counted, as MimeKit
    /// counts), or null when the text has a character 0 or above 127, a line starting with "From ", or a CR that does
    /// not end a line.</summary>
    private static int? LongestSevenBitLine(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAnyExceptInRange('\u0001', '\u007f') >= 0)
        {
            return null;
        }

        var longest = 0;
        while (true)
        {
            if (text.StartsWith("From ", StringComparison.Ordinal))
            {
                return null;
            }

            var end = text.IndexOfAny('\r', '\n');
            if (end < 0)
            {
                return Math.Max(longest, text.Length);
            }

            if (text[end] == '\r' && (end + 1 >= text.Length || text[end + 1] != '\n'))
            {
                return null;
            }

            longest = Math.Max(longest, end);
            text = text[(end + (text[end] == '\r' ? 2 : 1))..];
        }
    }
}
