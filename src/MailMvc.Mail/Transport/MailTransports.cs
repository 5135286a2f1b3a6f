using Microsoft.Extensions.Logging;

namespace MailMvc.Mail.Transport;

/// <summary>The transport chosen from configuration when none is registered in code.</summary>
internal static class MailTransports
{
    /// <summary>SMTP, or the pickup directory when <see cref="MailOptions.DeliveryMethod"/> says so; budgets counted in this process.</summary>
    public static IMailTransport CreateDefault(MailOptions options, ILoggerFactory loggerFactory) =>
        CreateDefault(options, loggerFactory, new InProcessSendBudgetStore(TimeProvider.System));

    /// <summary>SMTP, or the pickup directory when <see cref="MailOptions.DeliveryMethod"/> says so; each server's
    /// budget counted by <paramref name="budgets"/>.</summary>
    public static IMailTransport CreateDefault(MailOptions options, ILoggerFactory loggerFactory, ISendBudgetStore budgets) =>
        options.DeliveryMethod == MailDeliveryMethod.PickupDirectory
            ? new PickupDirectoryTransport(options.PickupDirectory ?? MailOptions.DefaultPickupDirectory)
            : options.Servers.Count > 0
                ? new MultiServerTransport(options.Servers.Select((s, i) => RateLimitedTransport.WrapIfSet(
                        new SmtpMailTransport(options.For(s), loggerFactory), budgets, SendBudgets.ForServer(options.For(s)), s.RateLimit,
                        $"Mail:Servers:{i}:RateLimit", TimeProvider.System)).ToList(),
                    options.ServerStrategy, options.ServerCooldown, TimeProvider.System)
                : RateLimitedTransport.WrapIfSet(new SmtpMailTransport(options, loggerFactory), budgets, SendBudgets.ForServer(options),
                    options.RateLimit, "Mail:RateLimit", TimeProvider.System);
}
