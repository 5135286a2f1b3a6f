using MailMvc.Mail.Outbox;
using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The envelope survives the outbox: <see cref="OutboxRuntime.ToItem"/> then <see cref="OutboxRuntime.FromItem"/>,
/// in the row format older releases wrote too (<c>MAIL parameter</c> and <c>RCPT parameter</c> lines).</summary>
public sealed class OutboxEnvelopeStorageTests
{
    public static TheoryData<string[], string[]> Parameters => new()
    {
        { [], [] },
        { ["RET=FULL"], [] },
        { ["RET=HDRS", "ENVID=Order-42"], [] },
        { [], ["NOTIFY=NEVER"] },
        { ["RET=HDRS", "ENVID=a=b;c"], ["NOTIFY=SUCCESS,FAILURE,DELAY"] },
    };

    [Theory]
    [MemberData(nameof(Parameters))]
    public void FromItem_WhatToItemWrote_IsTheSameEnvelope(string[] mailParameters, string[] recipientParameters)
    {
        var envelope = new Envelope(new MailboxAddress(null, "from@example.com"),
            [new MailboxAddress(null, "to@example.com"), new MailboxAddress(null, "bcc@example.com")])
        {
            MailParameters = mailParameters,
            RecipientParameters = recipientParameters,
        };

        var (_, read) = OutboxRuntime.FromItem(OutboxRuntime.ToItem(Mime(), envelope));

        Assert.Equal(envelope.Sender.Address, read.Sender.Address);
        Assert.Equal(["to@example.com", "bcc@example.com"], read.Recipients.Select(r => r.Address));
        Assert.Equal(mailParameters, read.MailParameters);
        Assert.Equal(recipientParameters, read.RecipientParameters);
    }

    [Fact]
    public void ToItem_Parameters_OneLinePerParameterAsOlderReleasesWrote()
    {
        var envelope = new Envelope(new MailboxAddress(null, "from@example.com"), [new MailboxAddress(null, "to@example.com")])
        {
            MailParameters = ["RET=FULL", "ENVID=Order-42"],
            RecipientParameters = ["NOTIFY=SUCCESS,DELAY"],
        };

        var item = OutboxRuntime.ToItem(Mime(), envelope);

        Assert.Equal("MAIL RET=FULL\nMAIL ENVID=Order-42\nRCPT NOTIFY=SUCCESS,DELAY", item.Esmtp);
    }

    [Fact]
    public void ToItem_SmallerMailAfterLargerOnTheSameThread_StoresExactlyTheSmallerMail()
    {
        // The stored bytes are written into a buffer the thread keeps: nothing of the mail before may stay in it.
        var envelope = new Envelope(new MailboxAddress(null, "from@example.com"), [new MailboxAddress(null, "to@example.com")]);
        var large = new Message("Large", ["to@example.com"], body: new string('x', 40_000), sender: "from@example.com").ToMimeMessage();
        var small = Mime();
        using var expected = new MemoryStream();
        small.WriteTo(WireFormat.Options, expected);

        OutboxRuntime.ToItem(large, envelope);
        var item = OutboxRuntime.ToItem(small, envelope);

        Assert.Equal(expected.ToArray(), item.Mime);
    }

    private static MimeMessage Mime() => new Message("Stored", ["to@example.com"], body: "body", sender: "from@example.com").ToMimeMessage();
}
