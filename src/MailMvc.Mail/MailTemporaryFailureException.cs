namespace MailMvc.Mail;

/// <summary>The SMTP server refused temporarily (a 4xx reply); the same send may succeed later.</summary>
public sealed class MailTemporaryFailureException : MailDeliveryException
{
    /// <summary>Creates the exception.</summary>
    public MailTemporaryFailureException(string message, string? serverReply = null, Exception? innerException = null)
        : base(message, serverReply, isTransient: true, innerException)
    {
    }
}
