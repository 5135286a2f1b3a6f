namespace MailMvc.Mail;

/// <summary>The SMTP server could not be reached (refused connection, unknown host, network down). Often transient.</summary>
public sealed class MailServerUnreachableException : MailDeliveryException
{
    /// <summary>Creates the exception.</summary>
    public MailServerUnreachableException(string message, string? serverReply = null, Exception? innerException = null)
        : base(message, serverReply, isTransient: true, innerException, isConnectionFailure: true)
    {
    }
}
