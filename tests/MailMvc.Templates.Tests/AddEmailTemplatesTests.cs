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
        using var services = new ServiceCollection()
            .AddSingleton<IHostEnvironment>(new TestHostEnvironment(environment, AppContext.BaseDirectory))
            .AddEmailTemplates(new ConfigurationBuilder().Build())
            .BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<EmailTemplateOptions>>().Value;

        Assert.Equal(expected, options.ReloadOnChange);
    }

    [Fact]
    public void AddEmailTemplates_SectionSetsOptions_BindsThem()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["EmailTemplates:TemplatesPath"] = SampleTemplates.Path,
                ["EmailTemplates:ReloadOnChange"] = "true",
                ["EmailTemplates:WarmUpOnStart"] = "false",
                ["EmailTemplates:BaseUrl"] = "https://mail.example.org/app/",
            })
            .Build()
            .GetSection(EmailTemplateOptions.SectionName);
        using var services = new ServiceCollection().AddEmailTemplates(section).BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<EmailTemplateOptions>>().Value;

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
            using var services = new ServiceCollection()
                .AddSingleton<IHostEnvironment>(new TestHostEnvironment("Production", contentRoot))
                .AddEmailTemplates(new ConfigurationBuilder().Build())
                .BuildServiceProvider();

            var options = services.GetRequiredService<IOptions<EmailTemplateOptions>>().Value;

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
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["TemplatesPath"] = "Templates" })
            .Build();
        using var services = new ServiceCollection()
            .AddSingleton<IHostEnvironment>(new TestHostEnvironment("Production", AppContext.BaseDirectory))
            .AddEmailTemplates(section)
            .BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<EmailTemplateOptions>>().Value;

        Assert.Equal(SampleTemplates.Path, options.TemplatesPath);
    }

    [Fact]
    public void AddEmailTemplates_SectionListsNamespaces_BindsThemBesideThoseAddedInCode()
    {
        var section = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["TemplatesPath"] = SampleTemplates.Path,
                ["Namespaces:0"] = "System.Globalization",
            })
            .Build();
        using var services = new ServiceCollection()
            .AddEmailTemplates(section, options => options.AddModelsFrom<Models.GreetingModel>())
            .BuildServiceProvider();

        var options = services.GetRequiredService<IOptions<EmailTemplateOptions>>().Value;

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

    private sealed class TestHostEnvironment(string environmentName, string contentRootPath) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = environmentName;

        public string ApplicationName { get; set; } = "MailMvc.Templates.Tests";

        public string ContentRootPath { get; set; } = contentRootPath;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
