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

    /// <summary>The server's reply to the MAIL FROM of the message being sent, or null while none came (reset by
    /// <see cref="BeginMessage"/>): a send that failed without one never reached the server's mail transaction.</summary>
    public SmtpStatusCode? SenderReply { get; private set; }

    /// <summary>Forgets the previous message's <see cref="SenderReply"/>.</summary>
    public void BeginMessage() => SenderReply = null;

    /// <summary>Records the reply to a MAIL FROM that <see cref="PipelinedSmtpExchange"/> sent.</summary>
    public void SenderAnswered(SmtpStatusCode reply) => SenderReply = reply;

    protected override void OnSenderAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        SenderReply = response.StatusCode;
        base.OnSenderAccepted(message, mailbox, response);
    }

    protected override void OnSenderNotAccepted(MimeMessage message, MailboxAddress mailbox, SmtpResponse response)
    {
        SenderReply = response.StatusCode;
        base.OnSenderNotAccepted(message, mailbox, response);
    }

    protected override DeliveryStatusNotification? GetDeliveryStatusNotifications(MimeMessage message, MailboxAddress mailbox) =>
        Options.Notify;

    protected override string? GetEnvelopeId(MimeMessage message) => Options.EnvelopeId;
}
