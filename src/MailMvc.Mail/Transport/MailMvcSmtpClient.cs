using MailKit;
using MailKit.Net.Smtp;
using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>MailKit's SMTP client, taught to send a message's ESMTP options (DSN NOTIFY and ENVID).</summary>
internal sealed class MailMvcSmtpClient : SmtpClient
{
    public MailMvcSmtpClient(IProtocolLogger logger) : base(logger)
    {
    }

    public MailMvcSmtpClient()
    {
    }

    /// <summary>The options of the message being sent.</summary>
    public EsmtpOptions Options { get; set; } = EsmtpOptions.None;

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox) =>
        Options.Notify;

    protected override string? GetEnvelopeId(MimeMessage message) => Options.EnvelopeId;
}
