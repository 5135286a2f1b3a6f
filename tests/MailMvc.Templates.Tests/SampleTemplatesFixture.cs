using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailMvc.Templates.Tests;

/// <summary>
/// One renderer over the sample templates, warmed up once by the real <see cref="TemplateWarmupService"/>:
/// compiling costs about a second a template, rendering microseconds.
/// </summary>
public sealed class SampleTemplatesFixture : IAsyncLifetime
{
    private ServiceProvider? _services;

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
                SampleTemplates.Configure(options, SampleTemplates.Path);
                options.ReloadOnChange = false;
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
