using MailMvc.Mail.Tests.Outbox;
using MailMvc.Web.Welcome;

namespace MailMvc.Web.Tests.Welcome;

/// <summary>The bulk store on a real PostgreSQL server: a fresh database per class and a schema per test (the outbox
/// tests' fixture). When the server cannot be reached the tests fail, saying so; they never skip.</summary>
public sealed class PostgresBulkJobStoreTests(PostgresOutboxDatabase database) : BulkJobStoreTests, IClassFixture<PostgresOutboxDatabase>
{
    protected override async Task<IBulkJobStore> CreateStoreAsync() => new PostgresBulkJobStore(await database.CreateOutboxAsync(), Time);
}
