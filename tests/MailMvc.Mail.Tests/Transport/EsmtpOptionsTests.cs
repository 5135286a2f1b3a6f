using MailKit;
using MailKit.Net.Smtp;
using MailMvc.Mail.Transport;

namespace MailMvc.Mail.Tests.Transport;

public sealed class EsmtpOptionsTests
{
    [Fact]
    public void Parse_NoOptions_IsNone()
    {
        var options = EsmtpOptions.Parse([], []);

        Assert.Same(EsmtpOptions.None, options);
    }

    [Theory]
    [InlineData("RET=FULL", DeliveryStatusNotificationType.Full)]
    [InlineData("ret=hdrs", DeliveryStatusNotificationType.HeadersOnly)]
    public void Parse_Ret_SetsWhatBouncesReturn(string option, DeliveryStatusNotificationType expected)
    {
        var options = EsmtpOptions.Parse([option], []);

        Assert.Equal(expected, options.Return);
    }

    [Fact]
    public void Parse_EnvId_KeepsTheIdentifierAsWritten()
    {
        var options = EsmtpOptions.Parse(["ENVID=Order-42"], []);

        Assert.Equal("Order-42", options.EnvelopeId);
    }

    [Theory]
    [InlineData("BODY=8BITMIME")]
    [InlineData("SMTPUTF8")]
    public void Parse_OptionMailKitNegotiates_IsAcceptedAndAddsNothing(string option)
    {
        var options = EsmtpOptions.Parse([option], []);

        Assert.Equal(EsmtpOptions.None, options);
    }

    [Fact]
    public void Parse_NotifyList_CombinesTheFlags()
    {
        var options = EsmtpOptions.Parse([], ["NOTIFY=SUCCESS,FAILURE"]);

        Assert.Equal(DeliveryStatusNotification.Success | DeliveryStatusNotification.Failure, options.Notify);
    }

    [Fact]
    public void Parse_NotifyNever_IsNever()
    {
        var options = EsmtpOptions.Parse([], ["NOTIFY=NEVER"]);

        Assert.Equal(DeliveryStatusNotification.Never, options.Notify);
    }

    [Theory]
    [InlineData("SIZE=1000", "")]
    [InlineData("", "ORCPT=rfc822;to@example.com")]
    [InlineData("", "NOTIFY=SOMETIMES")]
    [InlineData("ENVID=", "")]
    public void Parse_UnsupportedOption_ThrowsArgumentExceptionNamingIt(string mailOption, string rcptOption)
    {
        string[] mail = mailOption.Length == 0 ? [] : [mailOption];
        string[] rcpt = rcptOption.Length == 0 ? [] : [rcptOption];

        var error = Assert.Throws<ArgumentException>(() => EsmtpOptions.Parse(mail, rcpt));

        Assert.Contains(mailOption.Length == 0 ? rcptOption : mailOption, error.Message, StringComparison.Ordinal);
    }
}
