using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Tests;

/// <summary><see cref="MailServiceCollectionExtensions.AddMail"/> reading Flask-Mail's MAIL_* variables from the process.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class FlaskMailEnvironmentVariablesTests : IDisposable
{
    private readonly Dictionary<string, string?> _saved = [];

    [Fact]
    public void AddMail_MailServerVariable_OverridesTheSection()
    {
        SetVariable("MAIL_SERVER", "from-environment.example.com");
        using var provider = MailServiceCollectionExtensionsTests.BuildProvider(Environments.Production,
            new Dictionary<string, string?> { ["Mail:Server"] = "from-section.example.com", ["Mail:Port"] = "2525" });

        var options = provider.GetRequiredService<IOptions<MailOptions>>().Value;

        Assert.Equal(("from-environment.example.com", 2525), (options.Server, options.Port));
    }

    [Fact]
    public void AddMail_SuppressSendVariableFalse_TurnsSuppressionOff()
    {
        SetVariable("MAIL_SUPPRESS_SEND", "False");
        using var provider = MailServiceCollectionExtensionsTests.BuildProvider("Testing",
            new Dictionary<string, string?> { ["Mail:SuppressSend"] = "true" });

        var options = provider.GetRequiredService<IOptions<MailOptions>>().Value;

        Assert.False(options.SuppressSend);
    }

    [Fact]
    public void AddMail_BooleanVariableNotUnderstood_FailsNamingTheSetting()
    {
        SetVariable("MAIL_USE_SSL", "maybe");
        using var provider = MailServiceCollectionExtensionsTests.BuildProvider(Environments.Production, []);

        var error = Assert.Throws<InvalidOperationException>(() => provider.GetRequiredService<IOptions<MailOptions>>().Value);

        Assert.Equal("MAIL_USE_SSL is 'maybe'; write true or false (1/0, yes/no and on/off work too).", error.Message);
    }

    public void Dispose()
    {
        foreach (var (name, value) in _saved)
        {
            Environment.SetEnvironmentVariable(name, value);
        }
    }

    private void SetVariable(string name, string value)
    {
        _saved.TryAdd(name, Environment.GetEnvironmentVariable(name));
        Environment.SetEnvironmentVariable(name, value);
    }
}
