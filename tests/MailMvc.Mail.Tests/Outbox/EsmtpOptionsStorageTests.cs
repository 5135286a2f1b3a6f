using MailKit;
using MailKit.Net.Smtp;
using MailMvc.Mail.Transport;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The ESMTP options survive the outbox: <see cref="EsmtpOptions.ToStorage"/> then <see cref="EsmtpOptions.FromStorage"/>.</summary>
public sealed class EsmtpOptionsStorageTests
{
    public static TheoryData<string[], string[]> Options => new()
    {
        { ["RET=FULL"], [] },
        { ["RET=HDRS", "ENVID=Order-42"], [] },
        { [], ["NOTIFY=NEVER"] },
        { [], ["NOTIFY=SUCCESS,FAILURE,DELAY"] },
        { ["RET=HDRS", "ENVID=a=b;c"], ["NOTIFY=FAILURE"] },
    };

    [Theory]
    [MemberData(nameof(Options))]
    public void FromStorage_WhatToStorageWrote_IsTheSameOptions(string[] mailOptions, string[] rcptOptions)
    {
        var options = EsmtpOptions.Parse(mailOptions, rcptOptions);

        var stored = options.ToStorage();

        Assert.NotNull(stored);
        Assert.Equal(options, EsmtpOptions.FromStorage(stored));
    }

    [Fact]
    public void ToStorage_NoOptions_IsNullAndReadsBackAsNone()
    {
        var stored = EsmtpOptions.None.ToStorage();

        Assert.Null(stored);
        Assert.Same(EsmtpOptions.None, EsmtpOptions.FromStorage(stored));
    }

    [Fact]
    public void ToStorage_AllOptions_OneLinePerOption()
    {
        var options = new EsmtpOptions(DeliveryStatusNotificationType.Full, "Order-42", DeliveryStatusNotification.Success | DeliveryStatusNotification.Delay);

        var stored = options.ToStorage();

        Assert.Equal("MAIL RET=FULL\nMAIL ENVID=Order-42\nRCPT NOTIFY=SUCCESS,DELAY", stored);
    }
}
