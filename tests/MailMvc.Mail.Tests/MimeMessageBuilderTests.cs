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

    [Theory]
    [InlineData(0, "Tue, 01 Dec 2026 22:30:05 +0100")]
    [InlineData(300, "Tue, 01 Dec 2026 22:30:05 +0100")]
    [InlineData(999, "Tue, 01 Dec 2026 22:30:05 +0100")]
    [InlineData(1000, "Tue, 01 Dec 2026 22:30:06 +0100")]
    public void Build_MailsInOneSecondAndTheNext_EachDateHeaderAndDateToTheSecond(int milliseconds, string header)
    {
        // The builder reuses the Date header encoded for the same second and offset.
        var first = Built(s_date);

        var built = Built(s_date.AddMilliseconds(milliseconds));

        Assert.Equal("Tue, 01 Dec 2026 22:30:05 +0100", first.Headers[HeaderId.Date]);
        Assert.Equal(header, built.Headers[HeaderId.Date]);
        Assert.Equal(milliseconds < 1000 ? s_date : s_date.AddSeconds(1), built.Date);
        Assert.Equal(TimeSpan.FromHours(1), built.Date.Offset);
        Assert.Equal([HeaderId.From, HeaderId.Date, HeaderId.Subject, HeaderId.MessageId], built.Headers.Take(4).Select(h => h.Id));
    }

    [Theory]
    [InlineData(-300, "Tue, 01 Dec 2026 16:30:05 -0500")]
    [InlineData(330, "Wed, 02 Dec 2026 03:00:05 +0530")]
    [InlineData(0, "Tue, 01 Dec 2026 21:30:05 +0000")]
    public void Build_SameInstantInAnotherOffset_ItsOwnDateHeader(int offsetMinutes, string header)
    {
        Built(s_date);

        var built = Built(s_date.ToOffset(TimeSpan.FromMinutes(offsetMinutes)));

        Assert.Equal(header, built.Headers[HeaderId.Date]);
        Assert.Equal(s_date, built.Date);
        Assert.Equal(TimeSpan.FromMinutes(offsetMinutes), built.Date.Offset);
    }

    [Fact]
    public void Build_DateBefore1970_WrittenAndReadBack()
    {
        var built = Built(new DateTimeOffset(1969, 7, 20, 20, 17, 40, TimeSpan.Zero));

        Assert.Equal("Sun, 20 Jul 1969 20:17:40 +0000", built.Headers[HeaderId.Date]);
        Assert.Equal(new DateTimeOffset(1969, 7, 20, 20, 17, 40, TimeSpan.Zero), built.Date);
    }

    [Fact]
    public void Build_OffsetMimeKitCannotReadBack_DateSetAsMimeKitSetsIt()
    {
        // MimeKit writes −03:30 as "-03-30" and cannot parse it: such a mail's Date is set through the property, which
        // keeps the date it was given.
        var newfoundland = new DateTimeOffset(2026, 12, 1, 19, 0, 5, 250, TimeSpan.FromMinutes(-210));

        var built = Built(newfoundland);

        Assert.Equal("Tue, 01 Dec 2026 19:00:05 -03-30", built.Headers[HeaderId.Date]);
        Assert.Equal(newfoundland, built.Date);
        Assert.Equal(TimeSpan.FromMinutes(-210), built.Date.Offset);
    }

    [Fact]
    public void Build_OneMailsDateChangedAfterwards_TheNextMailOfThatSecondKeepsItsOwn()
    {
        // The kept header is copied, not shared: changing one mail's Date re-encodes that mail's copy only.
        var changed = Built(s_date);

        changed.Date = new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);
        var next = Built(s_date);

        Assert.Equal("Wed, 02 Dec 2026 08:00:00 +0000", changed.Headers[HeaderId.Date]);
        Assert.Equal("Tue, 01 Dec 2026 22:30:05 +0100", next.Headers[HeaderId.Date]);
    }

    [Fact]
    public void Build_MailsFromOneSenderThenAnother_EachItsOwnFromHeader()
    {
        // The builder reuses the From header encoded for the same ASCII sender, as given.
        var senders = new EmailAddress[] { "Team <team@example.com>", "news@example.com", "Team <team@example.com>", ("Team, Inc.", "team@example.com"), "Team <team@example.com>" };

        var built = senders.Select(sender => new Message("Hi", ["ada@example.com"], body: "Hello", sender: sender).ToMimeMessage(new MailOptions())).ToList();

        Assert.Equal(["Team <team@example.com>", "news@example.com", "Team <team@example.com>", "\"Team, Inc.\" <team@example.com>", "Team <team@example.com>"],
            built.Select(mime => mime.Headers[HeaderId.From]));
        Assert.Equal([("Team", "team@example.com"), ("", "news@example.com"), ("Team", "team@example.com"), ("Team, Inc.", "team@example.com"), ("Team", "team@example.com")],
            built.Select(mime => Assert.Single(mime.From.Mailboxes)).Select(m => (m.Name, m.Address)));
        Assert.All(built, mime => Assert.Equal(HeaderId.From, mime.Headers[0].Id));
    }

    [Fact]
    public void Build_DefaultSender_FromHeaderOfTheSetting()
    {
        var options = new MailOptions { DefaultSender = "MailMvc <noreply@example.com>" };

        var first = new Message("Hi", ["ada@example.com"], body: "Hello").ToMimeMessage(options);
        var second = new Message("Hi", ["bob@example.com"], body: "Hello").ToMimeMessage(options);

        Assert.Equal("MailMvc <noreply@example.com>", first.Headers[HeaderId.From]);
        Assert.Equal("MailMvc <noreply@example.com>", second.Headers[HeaderId.From]);
        Assert.Equal("noreply@example.com", Assert.Single(second.From.Mailboxes).Address);

        // Each mail has its own copy: a message's header list listens to its headers, so one header in every mail would
        // keep every mail alive.
        Assert.NotSame(first.Headers[0], second.Headers[0]);
    }

    [Fact]
    public void Build_OneMailsFromChangedAfterwards_TheNextMailKeepsItsOwn()
    {
        // The kept header is copied, not shared: changing one mail's From re-encodes that mail's copy only.
        var changed = new Message("Hi", ["ada@example.com"], body: "Hello", sender: "Team <team@example.com>").ToMimeMessage(new MailOptions());

        changed.From.Add(new MailboxAddress("Bob", "bob@example.com"));
        var next = new Message("Hi", ["ada@example.com"], body: "Hello", sender: "Team <team@example.com>").ToMimeMessage(new MailOptions());

        Assert.Equal("Team <team@example.com>, Bob <bob@example.com>", changed.Headers[HeaderId.From]);
        Assert.Equal("Team <team@example.com>", next.Headers[HeaderId.From]);
    }

    [Fact]
    public void Build_SenderNameNotAscii_EncodedInTheMessagesCharsetAsBefore()
    {
        // Such a sender is added to MimeMessage.From as before: its mailbox keeps the message's charset for its name.
        var latin1 = new Message("Hi", ["ada@example.com"], body: "Hello", sender: "Zoë <zoe@example.com>") { Charset = "iso-8859-1" }.ToMimeMessage(new MailOptions());
        var utf8 = new Message("Hi", ["ada@example.com"], body: "Hello", sender: "Zoë <zoe@example.com>").ToMimeMessage(new MailOptions());

        Assert.Equal("=?iso-8859-1?b?Wm/r?= <zoe@example.com>", RawValue(latin1, HeaderId.From));
        Assert.Equal("=?utf-8?b?Wm/Dqw==?= <zoe@example.com>", RawValue(utf8, HeaderId.From));
        Assert.Equal("iso-8859-1", Assert.Single(latin1.From.Mailboxes).Encoding.WebName);
    }

    [Fact]
    public void Build_SenderNameWithAControlCharacter_EncodedInTheMessagesCharsetAsBefore()
    {
        // MimeKit encodes a control character in the message's charset: such a sender is not one header for all charsets.
        var latin1 = new Message("Hi", ["ada@example.com"], body: "Hello", sender: ("Team\u0001", "team@example.com")) { Charset = "iso-8859-1" }.ToMimeMessage(new MailOptions());
        var utf8 = new Message("Hi", ["ada@example.com"], body: "Hello", sender: ("Team\u0001", "team@example.com")).ToMimeMessage(new MailOptions());

        Assert.Equal("=?iso-8859-1?q?Team=01?= <team@example.com>", RawValue(latin1, HeaderId.From));
        Assert.Equal("=?utf-8?q?Team=01?= <team@example.com>", RawValue(utf8, HeaderId.From));
    }

    [Fact]
    public void Build_SenderNotAnAddress_FormatExceptionAsBefore()
    {
        var message = new Message("Hi", ["ada@example.com"], body: "Hello", sender: "not an address");

        Assert.Throws<FormatException>(() => message.ToMimeMessage(new MailOptions()));
    }

    /// <summary>The header's value as it is written, encoded, without its folding and line break.</summary>
    private static string RawValue(MimeMessage message, HeaderId id) =>
        System.Text.Encoding.ASCII.GetString(message.Headers[message.Headers.IndexOf(id)].RawValue).Trim();

    private static MimeMessage Built(DateTimeOffset date) =>
        new Message("Hi", ["ada@example.com"], body: "Hello", sender: "team@example.com", date: date).ToMimeMessage(new MailOptions());

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
