using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailMvc.Templates;

/// <summary>
/// Compiles every email template in the background at start-up (<see cref="RazorLightEmailRenderer.WarmUpAsync"/>),
/// so no request waits for the compiler. The app starts serving at once; a render that arrives before its
/// template is compiled waits for that one compilation. Off when <see cref="EmailTemplateOptions.WarmUpOnStart"/>
/// is false.
/// </summary>
public sealed class TemplateWarmupService : BackgroundService
{
    private readonly RazorLightEmailRenderer _renderer;
    private readonly EmailTemplateOptions _options;

    /// <summary>Creates the service for the app's renderer.</summary>
    /// <param name="renderer">The renderer whose templates to compile.</param>
    /// <param name="options">The template settings.</param>
    public TemplateWarmupService(RazorLightEmailRenderer renderer, IOptions<EmailTemplateOptions> options)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(options);
        _renderer = renderer;
        _options = options.Value;
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.WarmUpOnStart)
        {
            return;
        }

        try
        {
            await _renderer.WarmUpAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping; templates not compiled yet would compile on first use.
        }
    }
}
