namespace MailMvc.Mail;

/// <summary>The SMTP server rejected the user name, password or OAuth2 token, or offers no authentication mechanism MailKit
/// supports; or no OAuth2 token could be had for the login (the token provider failed).</summary>
public sealed class MailAuthenticationException : MailDeliveryException
{
    /// <summary>Creates the exception.</summary>
    public MailAuthenticationException(string message, string? serverReply = null, Exception? innerException = null)
        : base(message, serverReply, isTransient: false, innerException, isConnectionFailure: true)
    {
    }
}
