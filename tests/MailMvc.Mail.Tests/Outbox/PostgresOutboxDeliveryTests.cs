using MailMvc.Mail.Outbox;
namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The outbox end to end in PostgreSQL (<c>bash .ci/setup</c> starts the server the tests use).</summary>
public sealed class PostgresOutboxDeliveryTests : OutboxDeliveryTests, IClassFixture<PostgresOutboxDatabase>
{
    public PostgresOutboxDeliveryTests(PostgresOutboxDatabase database) : base(database)
    {
    }

    protected override bool BothHostsMustDeliver => true;
}
