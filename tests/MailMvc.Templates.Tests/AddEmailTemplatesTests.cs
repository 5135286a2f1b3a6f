using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailMvc.Templates.Tests;

public sealed class AddEmailTemplatesTests
{
    [Fact]
    public void AddEmailTemplates_MissingTemplatesFolder_FailsValidationNamingTheFolder()
    {
        var missing = Path.Combine(Path.GetTempPath(), "mailmvc-no-such-folder");
        using var services = new ServiceCollection()
            .AddLogging()
            .AddEmailTemplates(options => options.TemplatesPath = missing)
            .BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EmailTemplateOptions>>().Value);

        Assert.Contains(missing, exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddEmailTemplates_LintTargetClientUnknown_FailsValidationNamingTheSettingAndKnownClients()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TemplatesPath"] = SampleTemplates.Path,
            ["Lint:TargetClients:0"] = "outlook.windows",
            ["Lint:TargetClients:1"] = "lotus-notes.desktop",
        }).Build();
        using var services = new ServiceCollection().AddEmailTemplates(configuration).BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EmailTemplateOptions>>().Value);

        Assert.Contains("EmailTemplates:Lint:TargetClients names lotus-notes.desktop", exception.Message, StringComparison.Ordinal);
        Assert.Contains("apple-mail.ios", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddEmailTemplates_LintTargetClientsConfigured_LintChecksAgainstThem()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["TemplatesPath"] = SampleTemplates.Path,
            ["Lint:TargetClients:0"] = "apple-mail.ios",
        }).Build();
        using var services = new ServiceCollection().AddEmailTemplates(configuration).BuildServiceProvider();

        var lint = services.GetRequiredService<MailMvc.Templates.Lint.EmailLint>();

        Assert.Equal(["apple-mail.ios"], lint.TargetClients);
    }

    [Fact]
    public void AddEmailTemplates_BaseUrlNotAbsolute_FailsValidation()
    {
        using var services = new ServiceCollection()
            .AddEmailTemplates(options =>
            {
                options.TemplatesPath = SampleTemplates.Path;
                options.BaseUrl = "/relative";
            })
            .BuildServiceProvider();

        var exception = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IOptions<EmailTemplateOptions>>().Value);

        Assert.Contains("EmailTemplates:BaseUrl", exception.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Development", true)]
    [InlineData("Production", false)]
    public void AddEmailTemplates_ReloadOnChangeUnset_IsOnOnlyInDevelopment(string environment, bool expected)
    {
        var options = ResolveOptions([], new TestHostEnvironment(environment, AppContext.BaseDirectory));

        Assert.Equal(expected, options.ReloadOnChange);
    }

    [Fact]
    public void AddEmailTemplates_SectionSetsOptions_BindsThem()
    {
        var options = ResolveOptions(new()
        {
            ["TemplatesPath"] = SampleTemplates.Path,
            ["ReloadOnChange"] = "true",
            ["WarmUpOnStart"] = "false",
            ["BaseUrl"] = "https://mail.example.org/app/",
        });

        Assert.Equal(SampleTemplates.Path, options.TemplatesPath);
        Assert.True(options.ReloadOnChange);
        Assert.False(options.WarmUpOnStart);
        Assert.Equal("https://mail.example.org/app/", options.BaseUrl);
    }

    [Fact]
    public void AddEmailTemplates_TemplatesPathUnset_UsesContentRootTemplatesFolder()
    {
        var contentRoot = Directory.CreateTempSubdirectory("mailmvc-content-").FullName;
        try
        {
            var templates = Directory.CreateDirectory(Path.Combine(contentRoot, "Templates")).FullName;

            var options = ResolveOptions([], new TestHostEnvironment("Production", contentRoot));

            Assert.Equal(templates, options.TemplatesPath);
        }
        finally
        {
            Directory.Delete(contentRoot, recursive: true);
        }
    }

    [Fact]
    public void AddEmailTemplates_RelativeTemplatesPath_IsUnderContentRoot()
    {
        var options = ResolveOptions(new() { ["TemplatesPath"] = "Templates" }, new TestHostEnvironment("Production", AppContext.BaseDirectory));

        Assert.Equal(SampleTemplates.Path, options.TemplatesPath);
    }

    [Fact]
    public void AddEmailTemplates_SectionListsNamespaces_BindsThemBesideThoseAddedInCode()
    {
        var options = ResolveOptions(
            new() { ["TemplatesPath"] = SampleTemplates.Path, ["Namespaces:0"] = "System.Globalization" },
            configure: templates => templates.AddModelsFrom<Models.GreetingModel>());

        Assert.Equal(["System.Globalization", "MailMvc.Templates.Tests.Models"], options.Namespaces);
        Assert.Equal([typeof(Models.GreetingModel).Assembly], options.ModelAssemblies);
    }

    [Fact]
    public void AddEmailTemplates_Registered_ResolvesOneRendererForBothServices()
    {
        using var services = new ServiceCollection()
            .AddLogging()
            .AddEmailTemplates(options => options.TemplatesPath = SampleTemplates.Path)
            .BuildServiceProvider();

        Assert.Same(services.GetRequiredService<RazorLightEmailRenderer>(), services.GetRequiredService<IEmailRenderer>());
        Assert.Single(services.GetServices<IHostedService>().OfType<TemplateWarmupService>());
    }

    /// <summary>The options <c>AddEmailTemplates</c> resolves from <paramref name="section"/>, with the host's
    /// environment when there is one.</summary>
    private static EmailTemplateOptions ResolveOptions(Dictionary<string, string?> section, IHostEnvironment? environment = null,
        Action<EmailTemplateOptions>? configure = null)
    {
        var services = new ServiceCollection();
        if (environment is not null)
        {
            services.AddSingleton(environment);
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(section).Build();
        using var provider = services.AddEmailTemplates(configuration, configure).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<EmailTemplateOptions>>().Value;
    }

    private sealed class TestHostEnvironment(string environmentName, string contentRootPath) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = environmentName;

        public string ApplicationName { get; set; } = "MailMvc.Templates.Tests";

        public string ContentRootPath { get; set; } = contentRootPath;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
