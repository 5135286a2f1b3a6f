using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Tests;

public sealed class MailServiceCollectionExtensionsTests
{
    [Fact]
    public void AddMail_MailSection_BindsItsValues()
    {
        using var provider = BuildProvider(Environments.Production, new Dictionary<string, string?>
        {
            ["Mail:Server"] = "smtp.example.com",
            ["Mail:Port"] = "465",
            ["Mail:UseSsl"] = "true",
            ["Mail:DefaultSender"] = "Support <support@example.com>",
            ["Mail:Timeout"] = "00:00:05",
            ["Other:Server"] = "not-this-one",
        });

        var options = provider.GetRequiredService<IOptions<MailOptions>>().Value;

        Assert.Equal(
            ("smtp.example.com", 465, true, "Support <support@example.com>", TimeSpan.FromSeconds(5)),
            (options.Server, options.Port, options.UseSsl, options.DefaultSender, options.Timeout));
    }

    [Fact]
    public void AddMail_InvalidSection_StopsWithTheValidatorsMessage()
    {
        using var provider = BuildProvider(Environments.Production, new Dictionary<string, string?> { ["Mail:Port"] = "0" });

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<MailOptions>>().Value);

        Assert.Contains("Mail:Port is 0", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddMail_ConfigureDelegate_IsAppliedAfterTheSection()
    {
        using var provider = BuildProvider(Environments.Production, new Dictionary<string, string?> { ["Mail:Server"] = "smtp.example.com" },
            options => options.Server = "override.example.com");

        var options = provider.GetRequiredService<IOptions<MailOptions>>().Value;

        Assert.Equal("override.example.com", options.Server);
    }

    [Theory]
    [InlineData("no", false)]
    [InlineData("Yes", true)]
    [InlineData("0", false)]
    [InlineData("on", true)]
    public void AddMail_BooleanInTheSectionSpelledTheFlaskWay_ReadsAsInTheEnvironment(string written, bool expected)
    {
        using var provider = BuildProvider(Environments.Production, new Dictionary<string, string?> { ["Mail:UseTls"] = written });

        Assert.Equal(expected, provider.GetRequiredService<IOptions<MailOptions>>().Value.UseTls);
    }

    [Fact]
    public void AddMail_BooleanThatIsNeither_StartUpErrorNamesTheKeyAndTheSpellings()
    {
        using var provider = BuildProvider(Environments.Production, new Dictionary<string, string?> { ["Mail:UseTls"] = "maybe" });

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<MailOptions>>().Value);

        Assert.Equal("Mail:UseTls is 'maybe'; write true or false (1/0, yes/no and on/off work too).", error.Message);
    }

    [Fact]
    public async Task AddMail_TestingEnvironment_MailerSuppressesSending()
    {
        using var provider = BuildProvider("Testing", []);

        var receipt = await provider.GetRequiredService<IMailer>().SendMessageAsync(subject: "s", recipients: ["to@example.com"], body: "b",
            sender: "from@example.com");

        Assert.Equal(MailDisposition.Suppressed, receipt.Disposition);
    }

    internal static ServiceProvider BuildProvider(string environmentName, Dictionary<string, string?> settings, Action<MailOptions>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = environmentName, ContentRootPath = Path.GetTempPath() });
        services.AddMail(configuration.GetSection(MailOptions.SectionName), configure);
        return services.BuildServiceProvider();
    }
}
