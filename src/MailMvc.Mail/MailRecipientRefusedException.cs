namespace MailMvc.Mail;

/// <summary>The SMTP server refused a recipient for good (a 5xx reply to RCPT TO). The message was not sent to anyone.</summary>
public sealed class MailRecipientRefusedException : MailDeliveryException
{
    /// <summary>Creates the exception.</summary>
    public MailRecipientRefusedException(string recipient, string message, string? serverReply = null, Exception? innerException = null)
        : base(message, serverReply, isTransient: false, innerException)
    {
        Recipient = recipient;
    }

    /// <summary>The address the server refused.</summary>
    public string Recipient { get; }
}
