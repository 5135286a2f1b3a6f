using MailMvc.Mail.Outbox;

namespace MailMvc.Mail.Tests.Outbox;

public sealed class PostgresOutboxStoreSettingsTests
{
    [Theory]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail", 32)]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail;Max Auto Prepare=0", 0)]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail;maxautoprepare=5", 5)]
    public void MaxAutoPrepare_ConnectionString_PreparedUnlessTheStringSaysOtherwise(string connectionString, int expected)
    {
        using var store = new PostgresOutboxStore(connectionString, TimeProvider.System);

        Assert.Equal(expected, store.MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail", false)]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail;No Reset On Close=false", true)]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail;noresetonclose=False", true)]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail;No Reset On Close=true", false)]
    public void ResetsOnClose_ConnectionString_PooledConnectionsNotResetUnlessTheStringSaysOtherwise(string connectionString, bool expected)
    {
        using var store = new PostgresOutboxStore(connectionString, TimeProvider.System);

        Assert.Equal([expected, expected], store.ResetsOnClose);
    }
}
