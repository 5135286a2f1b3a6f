namespace MailMvc.Mail;

/// <summary>
/// Thrown instead of sending when a header value (subject, sender, a recipient, reply-to or an extra
/// header) contains a carriage return or line feed that could inject headers. Nothing is sent.
/// </summary>
public sealed class BadHeaderException : Exception
{
    /// <summary>Creates the exception with a message naming the offending field.</summary>
    public BadHeaderException(string message) : base(message)
    {
    }
}
