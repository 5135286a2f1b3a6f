using Microsoft.Extensions.Logging;

namespace MailMvc.Mail.Transport;

/// <summary>The transport chosen from configuration when none is registered in code.</summary>
internal static class MailTransports
{
    /// <summary>SMTP, or the pickup directory when <see cref="MailOptions.DeliveryMethod"/> says so.</summary>
    public static IMailTransport CreateDefault(MailOptions options, ILoggerFactory loggerFactory) =>
        options.DeliveryMethod == MailDeliveryMethod.PickupDirectory
            ? new PickupDirectoryTransport(options.PickupDirectory ?? Path.Combine("App_Data", "mail-pickup"))
            : new SmtpMailTransport(options, loggerFactory);
}
