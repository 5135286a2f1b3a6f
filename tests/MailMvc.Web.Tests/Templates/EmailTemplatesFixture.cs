using MailMvc.Templates;
using MailMvc.Web.EmailTemplates;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailMvc.Web.Tests.Templates;

/// <summary>
/// One renderer over the app's templates copied beside the tests, with the app's models, warmed up once by the
/// real <see cref="TemplateWarmupService"/>: compiling costs about a second a template, rendering microseconds.
/// </summary>
public sealed class EmailTemplatesFixture : IAsyncLifetime
{
    public const string BaseUrl = "https://mail.example.test/";

    private ServiceProvider? _services;

    public static string TemplatesPath => Path.Combine(AppContext.BaseDirectory, "Templates");

    public IEmailRenderer Renderer { get; private set; } = null!;

    public IEmailTemplateCatalog Catalog { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _services = new ServiceCollection()
            .AddLogging()
            .AddEmailTemplates(options =>
            {
                options.TemplatesPath = TemplatesPath;
                options.ReloadOnChange = false;
                options.BaseUrl = BaseUrl;
                options.AddMailMvcModels();
            })
            .BuildServiceProvider(validateScopes: true);
        Renderer = _services.GetRequiredService<IEmailRenderer>();
        Catalog = _services.GetRequiredService<IEmailTemplateCatalog>();

        var warmUp = _services.GetServices<IHostedService>().OfType<TemplateWarmupService>().Single();
        await warmUp.StartAsync(CancellationToken.None);
        await warmUp.ExecuteTask!;
    }

    public async Task DisposeAsync()
    {
        if (_services is not null)
        {
            await _services.DisposeAsync();
        }
    }
}
