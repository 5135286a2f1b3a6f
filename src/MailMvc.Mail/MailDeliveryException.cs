namespace MailMvc.Mail;

/// <summary>
/// A message could not be delivered. Subclasses say why: <see cref="MailServerUnreachableException"/>,
/// <see cref="MailTimeoutException"/>, <see cref="MailAuthenticationException"/>,
/// <see cref="MailSecurityException"/>, <see cref="MailRecipientRefusedException"/> and
/// <see cref="MailTemporaryFailureException"/>. The base type itself covers a message the server refused
/// for good and a connection that dropped mid-message.
/// </summary>
public class MailDeliveryException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, in a sentence a person can act on.</param>
    /// <param name="serverReply">The server's reply (status code and text), if it sent one.</param>
    /// <param name="isTransient">True when the same send may succeed later.</param>
    /// <param name="innerException">The underlying MailKit or socket exception.</param>
    /// <param name="isConnectionFailure">True when the error is about the server or the connection, not this message.</param>
    public MailDeliveryException(string message, string? serverReply = null, bool isTransient = false, Exception? innerException = null,
        bool isConnectionFailure = false)
        : base(message, innerException)
    {
        ServerReply = serverReply;
        IsTransient = isTransient;
        IsConnectionFailure = isConnectionFailure;
    }

    /// <summary>The server's reply, for example <c>550 5.1.1 mailbox unavailable</c>, or null when there was none.</summary>
    public string? ServerReply { get; }

    /// <summary>True when the error is about the server or the connection rather than this message (unreachable, timed
    /// out, login or TLS failed, refused at connect): any other message would fail the same way for now.</summary>
    public bool IsConnectionFailure { get; }

    /// <summary>True when sending the same message again later may succeed (a 4xx reply, a timeout, a lost connection).</summary>
    public bool IsTransient { get; }
}
