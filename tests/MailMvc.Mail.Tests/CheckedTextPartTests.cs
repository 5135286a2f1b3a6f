using System.Text;
using MimeKit;

namespace MailMvc.Mail.Tests;

/// <summary>A built mail's text parts are checked once for what MimeKit scans them for each time a transport prepares
/// the mail: preparing a checked part must write exactly what preparing a plain <see cref="TextPart"/> writes.</summary>
public sealed class CheckedTextPartTests
{
    public static TheoryData<string> Texts => new()
    {
        "Hello Zoe,\nwelcome aboard.\n",
        "Hello Zoe,\r\nwelcome aboard.\r\n",
        "no line break at the end",
        // A text twin as the renderer gives it: trimmed, so its last line has no line break.
        "Hello Zoe,\nwelcome aboard.",
        "Hello Zoe,\r\nwelcome aboard.",
        "",
        "Zoë 8-bit",
        "a NUL \0 byte",
        "a lone CR \r in a line\n",
        "From the start: an mbox marker\n",
        "second line\nFrom here: an mbox marker\n",
        new string('x', 76) + "\n",
        new string('x', 79) + "\n",
        new string('x', 998) + "\r\n",
        new string('x', 999) + "\r\n",
        "short\n" + new string('y', 1200),
        // The last line's CR is the last byte of the first 4 KB that MimeKit's scan reads: it counts that line as 79.
        string.Concat(Enumerable.Repeat(new string('x', 78) + "\r\n", 50)) + new string('a', 15) + "\r\n" + new string('x', 78) + "\r\n",
    };

    [Theory]
    [MemberData(nameof(Texts))]
    public void Prepare_AnyTextConstraintAndLineLimit_WritesWhatAPlainTextPartWrites(string text)
    {
        foreach (var encoding in new[] { Encoding.UTF8, Encoding.ASCII, Encoding.Latin1, Encoding.Unicode })
        {
            foreach (var constraint in new[] { EncodingConstraint.SevenBit, EncodingConstraint.EightBit, EncodingConstraint.None })
            {
                foreach (var maxLineLength in new[] { 78, 998 })
                {
                    var plain = new TextPart("plain");
                    plain.SetText(encoding, text);
                    var checkedPart = new CheckedTextPart("plain");
                    checkedPart.SetCheckedText(encoding, text);

                    plain.Prepare(constraint, maxLineLength);
                    checkedPart.Prepare(constraint, maxLineLength);

                    Assert.Equal(plain.ContentTransferEncoding, checkedPart.ContentTransferEncoding);
                    Assert.Equal(Written(plain), Written(checkedPart));
                }
            }
        }
    }

    [Fact]
    public void Prepare_ContentReplacedAfterTheCheck_PreparesTheNewContent()
    {
        var part = new CheckedTextPart("plain");
        part.SetCheckedText(Encoding.UTF8, "Hello Zoe\n");
        part.Text = "Hello Zoë, welcome aboard\n";

        part.Prepare(EncodingConstraint.SevenBit, 998);

        Assert.Equal(ContentEncoding.QuotedPrintable, part.ContentTransferEncoding);
    }

    [Fact]
    public void Prepare_CheckedSevenBitText_DoesNotReadTheContent()
    {
        const string Text = "Hello Zoe,\nwelcome aboard.\n";
        var plain = new TextPart("plain");
        plain.SetText(Encoding.UTF8, Text);
        var part = new CheckedTextPart("plain");
        part.SetCheckedText(Encoding.UTF8, Text);
        var plainContent = plain.Content!.Stream!;
        var checkedContent = part.Content!.Stream!;
        plainContent.Position = 3;
        checkedContent.Position = 3;

        plain.Prepare(EncodingConstraint.SevenBit, 998);
        part.Prepare(EncodingConstraint.SevenBit, 998);

        Assert.NotEqual(3, plainContent.Position); // MimeKit's scan read the whole content
        Assert.Equal(3, checkedContent.Position);
    }

    [Fact]
    public void Build_MailWithTextAndHtml_BothPartsAreChecked()
    {
        var mime = MimeMessageBuilder.Build(new Message("Hi", ["zoe@example.com"], "Hello Zoe", "<p>Hello Zoe</p>", new EmailAddress("a@example.com")), null);

        Assert.All(mime.BodyParts, part => Assert.IsType<CheckedTextPart>(part));
    }

    public static TheoryData<string, NewLineFormat> TextsAndWireFormats()
    {
        var data = new TheoryData<string, NewLineFormat>();
        foreach (var text in ((IEnumerable<object[]>)Texts).Select(row => (string)row[0]).Concat(["mixed\r\nline\nbreaks\n", "\n", "\r\n", "two\n\nbreaks\n"]))
        {
            data.Add(text, NewLineFormat.Dos);
            data.Add(text, NewLineFormat.Unix);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(TextsAndWireFormats))]
    public async Task WriteTo_AnyTextAsPartOrWholeBody_WritesWhatAPlainTextPartWrites(string text, NewLineFormat wire)
    {
        var format = new FormatOptions { NewLineFormat = wire };
        foreach (var encoding in new[] { Encoding.UTF8, Encoding.ASCII, Encoding.Unicode })
        {
            var (plain, checkedPart) = Parts(encoding, text);
            foreach (var contentOnly in new[] { false, true })
            {
                Assert.Equal(Written(plain, format, contentOnly), Written(checkedPart, format, contentOnly));
                Assert.Equal(await WrittenAsync(plain, format, contentOnly), await WrittenAsync(checkedPart, format, contentOnly));
            }

            // As a message's whole body, the part must end with a line break (MimeKit adds one to a text without: the
            // messages MimeKit's constructors make are strict).
            Assert.Equal(Written(MessageWith(plain), format), Written(MessageWith(checkedPart), format));
            Assert.Equal(await WrittenAsync(MessageWith(plain), format), await WrittenAsync(MessageWith(checkedPart), format));

            // And inside a multipart, as a built mail's text and HTML parts are (one boundary for both).
            var (plainHtml, checkedHtml) = Parts(encoding, text);
            var plainMultipart = new MultipartAlternative { plain, plainHtml };
            var checkedMultipart = new MultipartAlternative { checkedPart, checkedHtml };
            checkedMultipart.Boundary = plainMultipart.Boundary!;
            Assert.Equal(Written(plainMultipart, format, contentOnly: false), Written(checkedMultipart, format, contentOnly: false));
            Assert.Equal(await WrittenAsync(plainMultipart, format, contentOnly: false), await WrittenAsync(checkedMultipart, format, contentOnly: false));
            Assert.Equal(Written(MessageWith(plainMultipart), format), Written(MessageWith(checkedMultipart), format));
            Assert.Equal(await WrittenAsync(MessageWith(plainMultipart), format), await WrittenAsync(MessageWith(checkedMultipart), format));
        }
    }

    public static TheoryData<string, NewLineFormat, bool, bool> WritesWithoutTheFilter => new()
    {
        { "Hello Zoe,\nwelcome aboard.\n", NewLineFormat.Dos, true, true },
        { "Hello Zoe,\nwelcome aboard.\n", NewLineFormat.Unix, true, true },
        { "Hello Zoe,\r\nwelcome aboard.\r\n", NewLineFormat.Dos, true, true },
        { "Hello Zoe,\r\nwelcome aboard.\r\n", NewLineFormat.Unix, true, false },
        { "mixed\r\nline\nbreaks\n", NewLineFormat.Dos, false, false },
        { "mixed\r\nline\nbreaks\n", NewLineFormat.Dos, true, false },
        // Without a line break at the end: among other parts (with its headers), as it is; as a whole body (its content
        // only), MimeKit's filter may add one.
        { "Hello Zoe,\nwelcome aboard.", NewLineFormat.Dos, false, true },
        { "Hello Zoe,\nwelcome aboard.", NewLineFormat.Dos, true, false },
        { "Hello Zoe,\nwelcome aboard.", NewLineFormat.Unix, false, true },
        { "Hello Zoe,\nwelcome aboard.", NewLineFormat.Unix, true, false },
        { "Hello Zoe,\r\nwelcome aboard.", NewLineFormat.Dos, false, true },
        { "Hello Zoe,\r\nwelcome aboard.", NewLineFormat.Unix, false, false },
        { "no line break at the end", NewLineFormat.Dos, false, true },
        { "no line break at the end", NewLineFormat.Unix, false, true },
        { "no line break at the end", NewLineFormat.Dos, true, false },
        { "", NewLineFormat.Dos, false, true },
        { "", NewLineFormat.Dos, true, false },
        { "Zoë 8-bit\n", NewLineFormat.Dos, false, false },
        { "From the start: an mbox marker\n", NewLineFormat.Dos, false, false },
    };

    [Theory]
    [MemberData(nameof(WritesWithoutTheFilter))]
    public void WritesWithoutFilter_TextAndWireFormat_OnlyWhereTheFilterWouldAddACrBeforeEachLfOrNothing(string text, NewLineFormat wire, bool contentOnly, bool withoutFilter)
    {
        var (_, checkedPart) = Parts(Encoding.UTF8, text);

        Assert.Equal(withoutFilter, checkedPart.WritesWithoutFilter(new FormatOptions { NewLineFormat = wire }, contentOnly));
    }

    [Fact]
    public void WriteTo_PreparedWithAShortLineLimitOrContentReplaced_IsWrittenByMimeKit()
    {
        var wire = new FormatOptions { NewLineFormat = NewLineFormat.Dos };
        var (_, prepared) = Parts(Encoding.UTF8, new string('x', 100) + "\n");
        var (_, replaced) = Parts(Encoding.UTF8, "Hello Zoe\n");

        prepared.Prepare(EncodingConstraint.SevenBit, 78);
        replaced.Text = "Hello Ada\n";

        Assert.NotEqual(ContentEncoding.Default, prepared.ContentTransferEncoding);
        Assert.False(prepared.WritesWithoutFilter(wire, contentOnly: false));
        Assert.False(replaced.WritesWithoutFilter(wire, contentOnly: false));
    }

    [Fact]
    public void WriteTo_CheckedSevenBitText_AllocatesNoBufferOfItsOwn()
    {
        // A 20 KB text: MimeKit's line-break filter takes a new buffer each time the part is written; the checked part
        // writes through a buffer from the shared pool (taken on this thread by the first write).
        var text = string.Concat(Enumerable.Repeat(new string('x', 70) + "\n", 290));
        var (_, checkedPart) = Parts(Encoding.UTF8, text);
        var wire = new FormatOptions { NewLineFormat = NewLineFormat.Dos };
        checkedPart.WriteTo(wire, Stream.Null);

        var before = GC.GetAllocatedBytesForCurrentThread();
        checkedPart.WriteTo(wire, Stream.Null);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1024, $"The checked part's write allocated {allocated} bytes");
    }

    [Theory]
    [InlineData(16381)]
    [InlineData(16382)]
    [InlineData(16383)]
    [InlineData(16384)]
    [InlineData(16385)]
    public void WriteTo_LineBreakAtTheEdgeOfAWrittenPiece_WritesItAsCrLf(int firstLine)
    {
        // The text goes out in pieces of 16 KB: its first line break falls just before, across or just after an edge.
        var text = new string('x', firstLine) + "\n" + new string('y', 20_000) + "\nshort\n\n";
        var (plain, checkedPart) = Parts(Encoding.UTF8, text);
        var wire = new FormatOptions { NewLineFormat = NewLineFormat.Dos };

        Assert.True(checkedPart.WritesWithoutFilter(wire, contentOnly: true));
        Assert.Equal(text.Replace("\n", "\r\n"), Encoding.ASCII.GetString(Written(checkedPart, wire, contentOnly: true)));
        Assert.Equal(Written(plain, wire, contentOnly: true), Written(checkedPart, wire, contentOnly: true));
    }

    [Fact]
    public void WriteTo_ContentStreamAnywhere_WritesTheWholeTextAndLeavesThePositionAlone()
    {
        // The write reads the bytes the check kept, not the content's stream, whose position belongs to whoever else reads it.
        var (_, checkedPart) = Parts(Encoding.UTF8, "Hello Zoe,\nwelcome aboard.\n");
        var wire = new FormatOptions { NewLineFormat = NewLineFormat.Dos };
        var stream = checkedPart.Content!.Stream!;
        stream.Position = 5;

        var written = Written(checkedPart, wire, contentOnly: true);

        Assert.Equal("Hello Zoe,\r\nwelcome aboard.\r\n", Encoding.ASCII.GetString(written));
        Assert.Equal(5, stream.Position);
    }

    [Fact]
    public void SetCheckedText_DisposedPart_ThrowsAsSetTextDoes()
    {
        var part = new CheckedTextPart("plain");
        part.Dispose();

        Assert.Throws<ObjectDisposedException>(() => part.SetCheckedText(Encoding.UTF8, "Hello Zoe\n"));
    }

    [Fact]
    public void WriteTo_ContentReplacedAfterTheCheck_WritesTheNewContent()
    {
        var part = new CheckedTextPart("plain");
        part.SetCheckedText(Encoding.UTF8, "Hello Zoe\n");
        part.Text = "Hello Ada\nwelcome\n";

        Assert.EndsWith("\r\n\r\nHello Ada\r\nwelcome\r\n", Encoding.ASCII.GetString(Written(part)));
    }

    /// <summary>A message with <paramref name="body"/> and fixed headers, so two such messages differ only by their bodies.</summary>
    private static MimeMessage MessageWith(MimeEntity body)
    {
        var message = new MimeMessage { Body = body, MessageId = "1@example.com" };
        message.Date = new DateTimeOffset(2026, 12, 2, 13, 30, 0, TimeSpan.Zero);
        return message;
    }

    private static (TextPart Plain, CheckedTextPart Checked) Parts(Encoding encoding, string text)
    {
        var plain = new TextPart("plain");
        plain.SetText(encoding, text);
        var checkedPart = new CheckedTextPart("plain");
        checkedPart.SetCheckedText(encoding, text);
        return (plain, checkedPart);
    }

    private static byte[] Written(MimeEntity entity) => Written(entity, new FormatOptions { NewLineFormat = NewLineFormat.Dos }, contentOnly: false);

    private static byte[] Written(MimeEntity entity, FormatOptions format, bool contentOnly)
    {
        using var stream = new MemoryStream();
        entity.WriteTo(format, stream, contentOnly);
        return stream.ToArray();
    }

    private static async Task<byte[]> WrittenAsync(MimeEntity entity, FormatOptions format, bool contentOnly)
    {
        using var stream = new MemoryStream();
        await entity.WriteToAsync(format, stream, contentOnly);
        return stream.ToArray();
    }

    private static byte[] Written(MimeMessage message, FormatOptions format)
    {
        using var stream = new MemoryStream();
        message.WriteTo(format, stream);
        return stream.ToArray();
    }

    private static async Task<byte[]> WrittenAsync(MimeMessage message, FormatOptions format)
    {
        using var stream = new MemoryStream();
        await message.WriteToAsync(format, stream);
        return stream.ToArray();
    }
}
