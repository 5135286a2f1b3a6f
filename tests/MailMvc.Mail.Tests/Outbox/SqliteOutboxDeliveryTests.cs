using MailMvc.Mail.Outbox;
namespace MailMvc.Mail.Tests.Outbox;

/// <summary>The outbox end to end in a SQLite file.</summary>
public sealed class SqliteOutboxDeliveryTests : OutboxDeliveryTests, IClassFixture<SqliteOutboxDatabase>
{
    public SqliteOutboxDeliveryTests(SqliteOutboxDatabase database) : base(database)
    {
    }

    // SQLite has one writer at a time: two hosts take turns, and one may well deliver everything.
    protected override bool BothHostsMustDeliver => false;
}
