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

    private static byte[] Written(MimeEntity entity)
    {
        using var stream = new MemoryStream();
        entity.WriteTo(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, stream);
        return stream.ToArray();
    }
}
