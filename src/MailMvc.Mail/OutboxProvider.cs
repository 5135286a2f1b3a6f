namespace MailMvc.Mail;

/// <summary>The database that holds the outbox.</summary>
public enum OutboxProvider
{
    /// <summary>A SQLite file: no set-up, one machine.</summary>
    Sqlite,

    /// <summary>PostgreSQL: any number of app instances deliver from one outbox, never a mail twice.</summary>
    PostgreSql,
}
