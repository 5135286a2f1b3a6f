namespace MailMvc.Mail.Outbox;

/// <summary>The outbox database's schema cannot be used by this version of the app (a newer version upgraded it).</summary>
public sealed class OutboxSchemaException : InvalidOperationException
{
    /// <summary>Creates the exception.</summary>
    public OutboxSchemaException(string message) : base(message)
    {
    }
}
