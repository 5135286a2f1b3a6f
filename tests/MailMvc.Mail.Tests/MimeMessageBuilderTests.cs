using MimeKit;

namespace MailMvc.Mail.Tests;

/// <summary>The builder starts its MIME message without MimeKit's default headers (which it would replace at once):
/// the mail it writes is the one MimeKit's own constructor followed by the same settings gives, byte for byte.</summary>
public sealed class MimeMessageBuilderTests
{
    private static readonly DateTimeOffset s_date = new(2026, 12, 1, 22, 30, 5, TimeSpan.FromHours(1));

    public static TheoryData<string, Message> Messages => new()
    {
        { "plain", new Message("Welcome", ["ada@example.com"], body: "Hello", sender: "Team <team@example.com>") },
        { "no subject", new Message(null, ["ada@example.com"], body: "Hello", sender: "team@example.com") },
        {
            "every address header",
            new Message("Grüße → ✓", ["Ädä <ada@example.com>", "bob@example.com"], body: "Hello", html: "<p>Hello</p>",
                sender: "Tëam <team@example.com>", cc: ["carol@example.com"], bcc: ["dave@example.com"], replyTo: "help@example.com")
        },
        {
            "extra headers, one of them a standard one",
            new Message("Subject", ["ada@example.com"], body: "Hello", sender: "team@example.com",
                extraHeaders: new Dictionary<string, string> { ["X-Campaign"] = "December", ["Subject"] = "Replaced", ["Date"] = "Tue, 1 Dec 2026 00:00:00 +0000" })
        },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Build_AnyMessage_WrittenAsWithMimeKitsConstructor(string shape, Message message)
    {
        Assert.NotNull(shape);
        message.Date = s_date;
        var built = message.ToMimeMessage(new MailOptions());

        var written = Written(built);

        Assert.Equal(Written(AsMimeKitsConstructorStartsIt(message, built)), written);
        Assert.Contains("Message-Id: <" + message.MessageId + ">", written, StringComparison.Ordinal);
    }

    /// <summary>The same settings on a message from <c>new MimeMessage()</c>, which starts with From, Date, an empty
    /// Subject and a Message-Id.</summary>
    private static MimeMessage AsMimeKitsConstructorStartsIt(Message message, MimeMessage built)
    {
        var encoding = message.GetEncoding();
        var mime = new MimeMessage();
        mime.From.AddRange(built.From);
        mime.To.AddRange(built.To);
        mime.Cc.AddRange(built.Cc);
        mime.ReplyTo.AddRange(built.ReplyTo);
        if (string.IsNullOrEmpty(message.Subject))
        {
            mime.Headers.Remove(HeaderId.Subject);
        }
        else
        {
            mime.Headers.Replace(HeaderId.Subject, encoding, message.Subject);
        }

        mime.Date = s_date;
        mime.MessageId = message.MessageId;
        foreach (var (name, value) in message.ExtraHeaders)
        {
            mime.Headers.Replace(name, encoding, value);
        }

        mime.Body = built.Body;
        return mime;
    }

    private static string Written(MimeMessage message)
    {
        using var stream = new MemoryStream();
        message.WriteTo(FormatOptions.Default, stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }
}
