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
    /// <summary>The base transport; null means the one <see cref="MailOptions.DeliveryMethod"/> names.</summary>
    public Func<IServiceProvider, IMailTransport>? Transport { get; set; }

    public List<Func<IServiceProvider, IMailTransport, IMailTransport>> Wrappers { get; } = [];

    public IMailTransport Build(IServiceProvider provider)
    {
        var transport = Transport?.Invoke(provider) ?? MailTransports.CreateDefault(
            provider.GetRequiredService<IOptions<MailOptions>>().Value,
            provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance);
        foreach (var wrap in Wrappers)
        {
            transport = wrap(provider, transport);
        }

        return transport;
    }
}
