namespace MailMvc.Mail;

/// <summary>The SMTP server did not answer within <see cref="MailOptions.Timeout"/>; or the OAuth2 token provider gave up
/// waiting for a token (its own timeout, not the caller's cancellation).</summary>
public sealed class MailTimeoutException : MailDeliveryException
{
    /// <summary>Creates the exception.</summary>
    public MailTimeoutException(string message, string? serverReply = null, Exception? innerException = null, bool isConnectionFailure = true)
        : base(message, serverReply, isTransient: true, innerException, isConnectionFailure)
    {
    }
}
