using System.Collections;
using MailMvc.Mail.Configuration;
using Microsoft.Extensions.Configuration;

namespace MailMvc.Mail.Tests.Configuration;

public sealed class FlaskMailEnvironmentTests
{
    [Fact]
    public void Read_FlaskVariables_MapToMailSectionKeys()
    {
        var variables = new Hashtable { ["MAIL_SERVER"] = "smtp.example.com", ["MAIL_PORT"] = "587", ["MAIL_DEFAULT_SENDER"] = "Support <support@example.com>" };

        var values = FlaskMailEnvironment.Read(variables);

        Assert.Equal(
            new Dictionary<string, string?> { ["Server"] = "smtp.example.com", ["Port"] = "587", ["DefaultSender"] = "Support <support@example.com>" },
            values);
    }

    [Fact]
    public void Read_OtherVariables_AreIgnored()
    {
        var variables = new Hashtable { ["PATH"] = "/usr/bin", ["MAIL_SERVERS"] = "x", ["Mail__Server"] = "y" };

        var values = FlaskMailEnvironment.Read(variables);

        Assert.Empty(values);
    }

    [Theory]
    [InlineData("False", "false")]
    [InlineData("false", "false")]
    [InlineData("0", "false")]
    [InlineData("off", "false")]
    [InlineData("", "false")]
    [InlineData("True", "true")]
    [InlineData("1", "true")]
    [InlineData(" yes ", "true")]
    public void Read_FlaskBoolean_IsNormalised(string written, string expected)
    {
        var values = FlaskMailEnvironment.Read(new Hashtable { ["MAIL_USE_TLS"] = written });

        Assert.Equal(expected, values["UseTls"]);
    }

    // Flask-Mail reads MAIL_SUPPRESS_SEND="False" as true (a non-empty string); here it is false.
    [Fact]
    public void Read_SuppressSendFalseString_BindsAsFalse()
    {
        var values = FlaskMailEnvironment.Read(new Hashtable { ["MAIL_SUPPRESS_SEND"] = "False", ["MAIL_DEBUG"] = "0" });

        var options = new ConfigurationBuilder().AddInMemoryCollection(values).Build().Get<MailOptions>();

        Assert.Equal((false, false), (options?.SuppressSend, options?.Debug));
    }

    [Fact]
    public void Read_BooleanNotUnderstood_IsLeftForBindingToReject()
    {
        var values = FlaskMailEnvironment.Read(new Hashtable { ["MAIL_USE_SSL"] = "maybe" });

        Assert.Equal("maybe", values["UseSsl"]);
    }

    [Theory]
    [InlineData("30", "00:00:30")]
    [InlineData("2.5", "00:00:02.5")]
    [InlineData("00:01:00", "00:01:00")]
    public void Read_TimeoutAsPlainNumber_IsSeconds(string written, string expected)
    {
        var values = FlaskMailEnvironment.Read(new Hashtable { ["MAIL_TIMEOUT"] = written });

        var options = new ConfigurationBuilder().AddInMemoryCollection(values).Build().Get<MailOptions>()!;

        Assert.Equal(TimeSpan.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), options.Timeout);
    }
}
