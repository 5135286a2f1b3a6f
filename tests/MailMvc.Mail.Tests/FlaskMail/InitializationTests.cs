using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;

namespace MailMvc.Mail.Tests.FlaskMail;

/// <summary>Flask-Mail's tests/test_initialization.py.</summary>
public sealed class InitializationTests
{
    // Flask: test_init_mail — the mailer's state is exactly what the configuration says.
    [Fact]
    public void AddMail_EveryFlaskSetting_IsCarriedIntoMailerOptions()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Mail:Server"] = "smtp.example.com",
                ["Mail:Port"] = "587",
                ["Mail:UseTls"] = "true",
                ["Mail:UseSsl"] = "false",
                ["Mail:Debug"] = "true",
                ["Mail:Username"] = "user",
                ["Mail:Password"] = "secret",
                ["Mail:DefaultSender"] = "support@example.com",
                ["Mail:MaxEmails"] = "10",
                ["Mail:SuppressSend"] = "true",
                ["Mail:AsciiAttachments"] = "true",
            })
            .Build();
        var services = new ServiceCollection();
        services.AddSingleton<IHostEnvironment>(new HostingEnvironment { EnvironmentName = Environments.Production, ContentRootPath = Path.GetTempPath() });
        services.AddMail(configuration.GetSection("Mail"));
        using var provider = services.BuildServiceProvider();

        var options = provider.GetRequiredService<IMailer>().Options;

        Assert.Equal(
            ("smtp.example.com", 587, true, false, (bool?)true, "user", "secret", "support@example.com", (int?)10, (bool?)true, true),
            (options.Server, options.Port, options.UseTls, options.UseSsl, options.Debug, options.Username, options.Password,
                options.DefaultSender, options.MaxEmails, options.SuppressSend, options.AsciiAttachments));
    }
}
