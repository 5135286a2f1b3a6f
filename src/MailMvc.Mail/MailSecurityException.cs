namespace MailMvc.Mail;

/// <summary>TLS could not be set up as configured: the server does not offer STARTTLS, or its certificate is not valid. MailMvc never falls back to plain text.</summary>
public sealed class MailSecurityException : MailDeliveryException
{
    /// <summary>Creates the exception.</summary>
    public MailSecurityException(string message, string? serverReply = null, Exception? innerException = null)
        : base(message, serverReply, isTransient: false, innerException, isConnectionFailure: true)
    {
    }
}
