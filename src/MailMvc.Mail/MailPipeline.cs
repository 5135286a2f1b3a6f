using MailMvc.Mail.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail;

/// <summary>What <see cref="MailBuilder"/> chose: the base transport and its wrappers, built once into the
/// <see cref="IMailTransport"/> the container hands out.</summary>
internal sealed class MailPipeline
{
    private readonly List<IMailTransport> _built = [];

    /// <summary>The base transport; null means the one <see cref="MailOptions.DeliveryMethod"/> names.</summary>
    public Func<IServiceProvider, IMailTransport>? Transport { get; set; }

    public List<Func<IServiceProvider, IMailTransport, IMailTransport>> Wrappers { get; } = [];

    public IMailTransport Build(IServiceProvider provider)
    {
        var budgets = provider.GetService<ISendBudgetStore>() ?? new InProcessSendBudgetStore(TimeProvider.System);
        var transport = Transport?.Invoke(provider) ?? MailTransports.CreateDefault(
            provider.GetRequiredService<IOptions<MailOptions>>().Value,
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance, budgets, provider);
        _built.Add(transport);
        var options = provider.GetRequiredService<IOptions<MailOptions>>().Value;
        // Right around the base transport, beneath every wrapper (the outbox): signed as delivered, over the wire bytes.
        transport = Dkim.DkimSigningTransport.WrapIfConfigured(transport, options);
        if (options.DailyLimit is { } brake)
        {
            transport = new RateLimitedTransport(transport, budgets, SendBudgets.AllMail, new RateLimitOptions { PerDay = brake }, "Mail:DailyLimit",
                TimeProvider.System);
        }

        // Around what delivers, beneath the outbox: one span per message that really goes out.
        transport = new Telemetry.TracingTransport(transport, options.Telemetry);
        foreach (var wrap in Wrappers)
        {
            transport = wrap(provider, transport);
            _built.Add(transport);
        }

        return transport;
    }

    /// <summary>Disposes what <see cref="Build"/> made that can be disposed synchronously, outermost first.</summary>
    public void DisposeBuilt()
    {
        foreach (var transport in Enumerable.Reverse(_built).Distinct().OfType<IDisposable>())
        {
            transport.Dispose();
        }

        _built.Clear();
    }

    /// <summary>Disposes what <see cref="Build"/> made, outermost first: the container disposes only the outermost
    /// transport it handed out, not the ones inside it (so the outermost is disposed twice; transports tolerate that).</summary>
    public async ValueTask DisposeBuiltAsync()
    {
        foreach (var transport in Enumerable.Reverse(_built).Distinct())
        {
            if (transport is IAsyncDisposable asyncDisposable)
            {
                await asyncDisposable.DisposeAsync().ConfigureAwait(false);
            }
            else if (transport is IDisposable disposable)
            {
                disposable.Dispose();
            }
        }

        _built.Clear();
    }
}
