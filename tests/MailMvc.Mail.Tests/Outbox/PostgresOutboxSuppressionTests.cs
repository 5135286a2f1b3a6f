namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The suppression list in the outbox's PostgreSQL database, shared by every host on it.</summary>
public sealed class PostgresOutboxSuppressionTests : OutboxSuppressionTests, IClassFixture<PostgresOutboxDatabase>
{
    public PostgresOutboxSuppressionTests(PostgresOutboxDatabase database) : base(database)
    {
    }
}
