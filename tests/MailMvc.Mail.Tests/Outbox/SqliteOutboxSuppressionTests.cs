namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The suppression list in the outbox's SQLite file.</summary>
public sealed class SqliteOutboxSuppressionTests : OutboxSuppressionTests, IClassFixture<SqliteOutboxDatabase>
{
    public SqliteOutboxSuppressionTests(SqliteOutboxDatabase database) : base(database)
    {
    }
}
