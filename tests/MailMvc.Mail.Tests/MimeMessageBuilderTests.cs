using MimeKit;

namespace MailMvc.Mail.Tests;

/// <summary>The builder starts its MIME message without MimeKit's default headers (which it would replace at once):
/// the mail it writes is the one MimeKit's own constructor followed by the same settings gives, byte for byte (MimeKit
/// writes that one's MIME-Version, last, as a transport's Prepare would add it; the builder adds it itself).</summary>
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
        {
            "the caller's own Message-ID, no sender",
            new Message("Subject", ["ada@example.com"], body: "Hello") { MessageId = "order-42.shipped@shop.example.com" }
        },
        {
            "the caller's own MIME-Version",
            new Message("Subject", ["ada@example.com"], body: "Hello", sender: "team@example.com",
                extraHeaders: new Dictionary<string, string> { ["MIME-Version"] = "1.0", ["X-Campaign"] = "December" })
        },
        {
            "extra Message-ID and From headers",
            new Message("Subject", ["ada@example.com"], body: "Hello", sender: "team@example.com",
                extraHeaders: new Dictionary<string, string> { ["Message-ID"] = "<extra.1@example.com>", ["From"] = "other@example.com" })
        },
    };

    [Fact]
    public void Build_BadAddressAndBadMessageId_ReportsTheAddressAsBefore()
    {
        // The Message-ID is set after the addresses, as it always was: the address's error is the one reported.
        var expected = Record.Exception(() => new Message("Subject", ["not an address"], body: "Hello", sender: "team@example.com").ToMimeMessage());
        var message = new Message("Subject", ["not an address"], body: "Hello", sender: "team@example.com") { MessageId = "" };

        var actual = Record.Exception(() => message.ToMimeMessage());

        Assert.NotNull(expected);
        Assert.Equal(expected.GetType(), actual?.GetType());
        Assert.Equal(expected.Message, actual?.Message);
    }

    [Theory]
    [MemberData(nameof(Messages))]
    public void Build_AnyMessage_WrittenAsWithMimeKitsConstructor(string shape, Message message)
    {
        Assert.NotNull(shape);
        message.Date = s_date;
        var built = message.ToMimeMessage(new MailOptions());

        // Before writing: MimeKit's strict writing adds a MIME-Version to a message without one.
        var mimeVersion = Assert.Single(built.Headers, h => h.Id == HeaderId.MimeVersion);
        if (!message.ExtraHeaders.ContainsKey("MIME-Version"))
        {
            Assert.Same(mimeVersion, built.Headers[built.Headers.Count - 1]);
        }

        var written = Written(built);

        Assert.Equal(Written(AsMimeKitsConstructorStartsIt(message, built)), written);
        if (!message.ExtraHeaders.ContainsKey("Message-ID"))
        {
            Assert.Contains("Message-Id: <" + message.MessageId + ">", written, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Build_MailsInOneSecondAndAcrossSecondsAndOffsets_EachWithItsOwnDateAsMimeKitWritesIt()
    {
        // The builder reuses the Date header encoded for the same second and offset: each mail must still carry its own.
        DateTimeOffset[] dates =
        [
            s_date, s_date.AddMilliseconds(300), s_date.ToOffset(TimeSpan.FromHours(-5)), s_date.AddSeconds(1),
            s_date.AddMilliseconds(999), s_date, new(1969, 7, 20, 20, 17, 40, TimeSpan.Zero),
            s_date.ToOffset(new TimeSpan(5, 30, 0)),
        ];
        // MimeKit writes −03:30 as "-03-30" and cannot read it back: such a mail's Date is set as MimeKit sets it.
        var newfoundland = new DateTimeOffset(2026, 12, 1, 19, 0, 5, TimeSpan.FromMinutes(-210)).AddMilliseconds(250);

        var built = dates.Select(date => new Message("Hi", ["ada@example.com"], body: "Hello", sender: "team@example.com", date: date)
            .ToMimeMessage(new MailOptions())).ToList();
        // A caller changing one mail's Date afterwards changes only that mail.
        built[0].Date = s_date.AddDays(1);
        var next = new Message("Hi", ["ada@example.com"], body: "Hello", sender: "team@example.com", date: s_date).ToMimeMessage(new MailOptions());

        for (var i = 1; i < dates.Length; i++)
        {
            Assert.Equal(MimeKit.Utils.DateUtils.FormatDate(dates[i]), built[i].Headers[HeaderId.Date]);
            Assert.Equal(dates[i].AddTicks(-(dates[i].Ticks % TimeSpan.TicksPerSecond)), built[i].Date);
            Assert.Equal(dates[i].Offset, built[i].Date.Offset);
        }

        var odd = new Message("Hi", ["ada@example.com"], body: "Hello", sender: "team@example.com", date: newfoundland).ToMimeMessage(new MailOptions());
        Assert.Equal(MimeKit.Utils.DateUtils.FormatDate(newfoundland), odd.Headers[HeaderId.Date]);
        Assert.Equal(newfoundland, odd.Date);
        Assert.Equal(newfoundland.Offset, odd.Date.Offset);

        Assert.Equal(MimeKit.Utils.DateUtils.FormatDate(s_date.AddDays(1)), built[0].Headers[HeaderId.Date]);
        Assert.Equal(MimeKit.Utils.DateUtils.FormatDate(s_date), next.Headers[HeaderId.Date]);
        Assert.Equal([HeaderId.From, HeaderId.Date, HeaderId.Subject, HeaderId.MessageId], next.Headers.Take(4).Select(h => h.Id));
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
