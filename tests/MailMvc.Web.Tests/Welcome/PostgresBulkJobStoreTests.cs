using MailMvc.Mail.Tests.Outbox;
using MailMvc.Web.Welcome;

namespace MailMvc.Web.Tests.Welcome;

/// <summary>The bulk store on a real PostgreSQL server: a fresh database per class and a schema per test (the outbox
/// tests' fixture). When the server cannot be reached the tests fail, saying so; they never skip.</summary>
public sealed class PostgresBulkJobStoreTests(PostgresOutboxDatabase database) : BulkJobStoreTests, IClassFixture<PostgresOutboxDatabase>
{
    protected override async Task<IBulkJobStore> CreateStoreAsync() => new PostgresBulkJobStore(await database.CreateOutboxAsync(), Time);

    [Theory]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail", false, 16)]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail;No Reset On Close=false;Max Auto Prepare=0", true, 0)]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail;noresetonclose=False;maxautoprepare=5", true, 5)]
    public async Task Settings_ConnectionString_NotResetAndPreparedUnlessTheStringSaysOtherwise(string connectionString, bool resets, int prepares)
    {
        await using var store = new PostgresBulkJobStore(connectionString, Time);

        Assert.Equal((resets, prepares), (store.ResetsOnClose, store.MaxAutoPrepare));
    }
}
