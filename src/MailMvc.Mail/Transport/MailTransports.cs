using Microsoft.Extensions.Logging;

namespace MailMvc.Mail.Transport;

/// <summary>The transport chosen from configuration when none is registered in code.</summary>
internal static class MailTransports
{
    /// <summary>SMTP, or the pickup directory when <see cref="MailOptions.DeliveryMethod"/> says so; budgets counted in this process.</summary>
    public static IMailTransport CreateDefault(MailOptions options, ILoggerFactory loggerFactory) =>
        CreateDefault(options, loggerFactory, new InProcessSendBudgetStore(TimeProvider.System));

    /// <summary>SMTP, or the pickup directory when <see cref="MailOptions.DeliveryMethod"/> says so.</summary>
    /// <param name="options">The settings.</param>
    /// <param name="loggerFactory">Where transcripts go.</param>
    /// <param name="budgets">What counts each server's budget.</param>
    /// <param name="services">The container, for OAuth2 token providers; null outside one.</param>
    public static IMailTransport CreateDefault(MailOptions options, ILoggerFactory loggerFactory, ISendBudgetStore budgets, IServiceProvider? services = null) =>
        options.DeliveryMethod == MailDeliveryMethod.PickupDirectory
            ? new PickupDirectoryTransport(options.PickupDirectory ?? MailOptions.DefaultPickupDirectory)
            : options.Servers.Count > 0
                ? new MultiServerTransport(options.Servers.Select((s, i) => RateLimitedTransport.WrapIfSet(
                        Smtp(options.For(s), loggerFactory, services), budgets, SendBudgets.ForServer(options.For(s)), s.RateLimit,
                        $"Mail:Servers:{i}:RateLimit", TimeProvider.System)).ToList(),
                    options.ServerStrategy, options.ServerCooldown, TimeProvider.System)
                : RateLimitedTransport.WrapIfSet(Smtp(options, loggerFactory, services), budgets, SendBudgets.ForServer(options),
                    options.RateLimit, "Mail:RateLimit", TimeProvider.System);

    /// <summary>SMTP to one server, with the OAuth2 token provider its settings name.</summary>
    public static SmtpMailTransport Smtp(MailOptions options, ILoggerFactory loggerFactory, IServiceProvider? services) =>
        new(options, loggerFactory, Authentication.MailTokenProviders.Create(options, services));
}
