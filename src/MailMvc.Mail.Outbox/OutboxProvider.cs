namespace MailMvc.Mail.Outbox;

/// <summary>The database that holds the outbox.</summary>
public enum OutboxProvider
{
    /// <summary>A SQLite file: one app instance (or several on one machine).</summary>
    Sqlite,

    /// <summary>PostgreSQL: any number of app instances share it.</summary>
    PostgreSql,

    /// <summary>A store registered in code with <see cref="OutboxBuilder.UseStore{TStore}"/>.</summary>
    Custom,
}
