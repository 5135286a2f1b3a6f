using MailMvc.Templates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailMvc.Web.Tests.Templates;

/// <summary>
/// One renderer over the templates copied beside the tests, warmed up once by the real
/// <see cref="TemplateWarmupService"/>: compiling costs about a second a template, rendering microseconds.
/// </summary>
public sealed class EmailTemplatesFixture : IAsyncLifetime
{
    public const string BaseUrl = "https://mail.example.test/";

    private ServiceProvider? _services;

    public static string TemplatesPath => Path.Combine(AppContext.BaseDirectory, "Templates");

    public RazorLightEmailRenderer Renderer { get; private set; } = null!;

    public IEmailTemplateCatalog Catalog { get; private set; } = null!;

    /// <summary>How many files the compilation counter showed when warm-up finished.</summary>
    public int CompilationsAfterWarmUp { get; private set; }

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddEmailTemplates(options =>
            {
                options.TemplatesPath = TemplatesPath;
                options.ReloadOnChange = false;
                options.BaseUrl = BaseUrl;
            })
            .BuildServiceProvider(validateScopes: true);
        Renderer = _services.GetRequiredService<RazorLightEmailRenderer>();
        Catalog = _services.GetRequiredService<IEmailTemplateCatalog>();

        var warmUp = _services.GetServices<IHostedService>().OfType<TemplateWarmupService>().Single();
        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.ExecuteTask!;
        CompilationsAfterWarmUp = Renderer.CompilationCount;
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EmailTemplatesCollection : ICollectionFixture<EmailTemplatesFixture>
{
    public const string Name = "Email templates";
}
