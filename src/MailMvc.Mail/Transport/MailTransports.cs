using Microsoft.Extensions.Logging;

namespace MailMvc.Mail.Transport;

/// <summary>Builds the transport that actually delivers: SMTP or the pickup directory.</summary>
internal static class MailTransports
{
    /// <returns>The transport, or null when sending is suppressed.</returns>
    public static IMailTransport? Create(MailDeliveryMethod method, MailOptions options, ILoggerFactory loggerFactory) => method switch
    {
        MailDeliveryMethod.Smtp => new SmtpMailTransport(options, loggerFactory),
        MailDeliveryMethod.PickupDirectory => new PickupDirectoryTransport(
            Path.GetFullPath(options.PickupDirectory ?? Path.Combine("App_Data", "mail-pickup"))),
        _ => null,
    };
}
