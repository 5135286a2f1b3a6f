using MailMvc.Mail.Authentication;
using MailMvc.Mail.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Tests.Configuration;

/// <summary>OAuth2 settings that cannot work stop start-up with a sentence that says what to set.</summary>
public sealed class OAuth2OptionsValidationTests
{
    private readonly MailOptionsValidator _validator = new();

    [Fact]
    public void Validate_OAuth2WithoutProvider_FailsNamingTheChoices()
    {
        var failure = SingleFailure(OAuth2(provider: null));

        Assert.StartsWith("Mail:Authentication is OAuth2 but Mail:OAuth2:Provider is not set: set it to Microsoft (Microsoft 365), Google", failure,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_UnknownProvider_FailsNamingItAndTheKnownOnes()
    {
        var failure = SingleFailure(OAuth2(provider: "Yahoo"));

        Assert.StartsWith("Mail:OAuth2:Provider is 'Yahoo', which MailMvc does not know: give Microsoft, Google or Custom", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_OAuth2WithoutUsername_FailsAskingForTheMailbox()
    {
        var options = OAuth2(provider: "Custom");
        options.Username = null;

        var failure = SingleFailure(options);

        Assert.StartsWith("Mail:Authentication is OAuth2 for smtp.office365.com but no Username is set: give the mailbox to log in as", failure,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MicrosoftWithoutTenant_FailsSayingWhereToFindIt()
    {
        var options = Microsoft();
        options.OAuth2.Microsoft.TenantId = null;

        var failure = SingleFailure(options);

        Assert.StartsWith("Mail:OAuth2:Microsoft:TenantId is not set: give the directory (tenant) ID", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MicrosoftWithoutClientId_FailsSayingWhereToFindIt()
    {
        var options = Microsoft();
        options.OAuth2.Microsoft.ClientId = " ";

        var failure = SingleFailure(options);

        Assert.StartsWith("Mail:OAuth2:Microsoft:ClientId is not set: give the application (client) ID", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MicrosoftWithoutSecretOrCertificate_FailsNamingBothAndTheEnvironmentVariable()
    {
        var options = Microsoft();
        options.OAuth2.Microsoft.ClientSecret = null;

        var failure = SingleFailure(options);

        Assert.Equal("Mail:OAuth2:Microsoft has neither ClientSecret nor CertificatePath: give the client secret (in user-secrets or the " +
            "environment, Mail__OAuth2__Microsoft__ClientSecret) or the path of the certificate's .pfx file.", failure);
    }

    [Fact]
    public void Validate_MicrosoftCertificateFileMissing_FailsNamingThePath()
    {
        var options = Microsoft();
        options.OAuth2.Microsoft.ClientSecret = null;
        options.OAuth2.Microsoft.CertificatePath = "/nowhere/mailer.pfx";

        var failure = SingleFailure(options);

        Assert.StartsWith("Mail:OAuth2:Microsoft:CertificatePath '/nowhere/mailer.pfx' does not exist", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MicrosoftSecretAndCertificateBoth_FailsAskingForOne()
    {
        var options = Microsoft();
        options.OAuth2.Microsoft.CertificatePath = "/nowhere/mailer.pfx";

        var failure = SingleFailure(options);

        Assert.StartsWith("Mail:OAuth2:Microsoft has both ClientSecret and CertificatePath: give one", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MicrosoftComplete_Succeeds()
    {
        var result = _validator.Validate(null, Microsoft());

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public void Validate_GoogleWithoutKeyFile_FailsSayingWhereToGetOne()
    {
        var failure = SingleFailure(OAuth2(provider: "google"));

        Assert.StartsWith("Mail:OAuth2:Google:KeyFilePath is not set: give the path of the service account's JSON key file", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_GoogleKeyFileMissing_FailsNamingThePath()
    {
        var options = OAuth2(provider: "Google");
        options.OAuth2.Google.KeyFilePath = "/nowhere/service-account.json";

        var failure = SingleFailure(options);

        Assert.StartsWith("Mail:OAuth2:Google:KeyFilePath '/nowhere/service-account.json' does not exist", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_ServerWithItsOwnOAuth2Section_FailsNamingThatServersSetting()
    {
        var options = new MailOptions { Username = "sender@example.com" };
        options.Servers.Add(new SmtpServerOptions { Server = "smtp.gmail.com" });
        options.Servers.Add(new SmtpServerOptions
        {
            Server = "smtp.office365.com",
            Authentication = MailAuthentication.OAuth2,
            OAuth2 = new OAuth2Options { Provider = "Microsoft", Microsoft = { ClientId = "client", ClientSecret = "s3cret" } },
        });

        var failure = SingleFailure(options);

        Assert.StartsWith("Mail:Servers:1:OAuth2:Microsoft:TenantId is not set", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMail_OAuth2SectionWithoutTenant_StopsWithTheValidatorsSentence()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:Server"] = "smtp.office365.com",
            ["Mail:Username"] = "sender@contoso.com",
            ["Mail:Authentication"] = "OAuth2",
            ["Mail:OAuth2:Provider"] = "Microsoft",
            ["Mail:OAuth2:Microsoft:ClientId"] = "client",
            ["Mail:OAuth2:Microsoft:ClientSecret"] = "s3cret-value",
        }).Build();
        var services = new ServiceCollection();
        services.AddMail(configuration.GetSection("Mail"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MailOptions>>().Value);

        Assert.Contains("Mail:OAuth2:Microsoft:TenantId is not set", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMail_CustomProviderWithoutRegisteredProvider_ThrowsSayingToCallUseTokenProvider()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Mail:Server"] = "smtp.example.com",
            ["Mail:Username"] = "sender@example.com",
            ["Mail:Authentication"] = "OAuth2",
            ["Mail:OAuth2:Provider"] = "Custom",
        }).Build();
        var services = new ServiceCollection();
        services.AddMail(configuration.GetSection("Mail"));
        using var provider = services.BuildServiceProvider();

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IMailer>());

        Assert.Equal("Mail:OAuth2:Provider is Custom but no IMailTokenProvider is registered: call .UseTokenProvider<YourProvider>() on AddMail(...).",
            error.Message);
    }

    private string SingleFailure(MailOptions options) => Assert.Single(_validator.Validate(null, options).Failures ?? []);

    private static MailOptions OAuth2(string? provider) => new()
    {
        Server = "smtp.office365.com",
        Username = "sender@contoso.com",
        Authentication = MailAuthentication.OAuth2,
        OAuth2 = { Provider = provider },
    };

    private static MailOptions Microsoft()
    {
        var options = OAuth2(provider: "Microsoft");
        options.OAuth2.Microsoft.TenantId = "contoso.onmicrosoft.com";
        options.OAuth2.Microsoft.ClientId = "11111111-2222-3333-4444-555555555555";
        options.OAuth2.Microsoft.ClientSecret = "s3cret";
        return options;
    }
}
