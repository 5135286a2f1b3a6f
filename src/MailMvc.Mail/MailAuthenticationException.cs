namespace MailMvc.Mail;

/// <summary>The SMTP server rejected the user name or password, or offers no authentication mechanism MailKit supports.</summary>
public sealed class MailAuthenticationException : MailDeliveryException
{
    /// <summary>Creates the exception.</summary>
    public MailAuthenticationException(string message, string? serverReply = null, Exception? innerException = null)
        : base(message, serverReply, isTransient: false, innerException, isConnectionFailure: true)
    {
    }
}
