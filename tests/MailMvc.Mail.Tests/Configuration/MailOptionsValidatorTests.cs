using MailMvc.Mail.Configuration;

namespace MailMvc.Mail.Tests.Configuration;

public sealed class MailOptionsValidatorTests
{
    private readonly MailOptionsValidator _validator = new();

    [Fact]
    public void Validate_Defaults_Succeeds()
    {
        var result = _validator.Validate(null, new MailOptions());

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_ZeroBudgets_FailNamingEachSetting()
    {
        var options = new MailOptions { RateLimit = { PerSecond = 0 }, DailyLimit = 0 };
        options.Servers.Add(new SmtpServerOptions { Server = "smtp1.example.com", RateLimit = new RateLimitOptions { PerDay = -1 } });

        var result = _validator.Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains("Mail:RateLimit:PerSecond is 0; give at least 1, or leave it unset for no limit.", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Mail:Servers:0:RateLimit:PerDay is -1; give at least 1", result.FailureMessage, StringComparison.Ordinal);
        Assert.Contains("Mail:DailyLimit is 0; give at least 1 mail a day", result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UseTlsAndUseSslTogether_FailsNamingBoth()
    {
        var result = _validator.Validate(null, new MailOptions { UseTls = true, UseSsl = true });

        var failure = Assert.Single(result.Failures ?? []);
        Assert.Contains("Mail:UseTls and Mail:UseSsl are both on", failure, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-25)]
    [InlineData(65536)]
    public void Validate_PortOutOfRange_FailsGivingTheRange(int port)
    {
        var result = _validator.Validate(null, new MailOptions { Port = port });

        var failure = Assert.Single(result.Failures ?? []);
        Assert.Equal($"Mail:Port is {port}; a port is between 1 and 65535.", failure);
    }

    [Theory]
    [InlineData("support")]
    [InlineData("Support <support>")]
    [InlineData("support@example.com\r\nBcc: evil@example.com")]
    public void Validate_MalformedDefaultSender_FailsQuotingIt(string defaultSender)
    {
        var result = _validator.Validate(null, new MailOptions { DefaultSender = defaultSender });

        var failure = Assert.Single(result.Failures ?? []);
        Assert.StartsWith($"Mail:DefaultSender '{defaultSender}' is not an email address", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_DefaultSenderWithName_Succeeds()
    {
        var result = _validator.Validate(null, new MailOptions { DefaultSender = "Support <support@example.com>" });

        Assert.True(result.Succeeded);
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEachOne()
    {
        var result = _validator.Validate(null, new MailOptions { UseTls = true, UseSsl = true, Port = 0, DefaultSender = "nobody" });

        Assert.Equal(3, result.Failures?.Count());
    }

    [Fact]
    public void Validate_PasswordWithoutUsername_Fails()
    {
        var result = _validator.Validate(null, new MailOptions { Password = "secret" });

        var failure = Assert.Single(result.Failures ?? []);
        Assert.DoesNotContain("secret", failure, StringComparison.Ordinal);
    }
}
