using MailMvc.Mail.Outbox;
using MailMvc.Mail.Tests.Integration;
using Npgsql;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>A database on this machine is reached without TLS unless the connection string asks for it (encrypting every
/// stored and claimed mail over loopback cost 5-10% of queued sending's rate); any other host keeps Npgsql's default.</summary>
public sealed class PostgresOutboxTlsTests(PostgresOutboxDatabase database) : IClassFixture<PostgresOutboxDatabase>
{
    [Theory]
    [InlineData("Host=127.0.0.1;Username=mailmvc;Database=mail", SslMode.Allow)]
    [InlineData("Host=localhost;Port=5433;Username=mailmvc;Database=mail", SslMode.Allow)]
    [InlineData("Host=::1;Username=mailmvc;Database=mail", SslMode.Allow)]
    [InlineData("Host=127.0.0.1:5432,localhost:5433;Username=mailmvc;Database=mail", SslMode.Allow)]
    [InlineData("Host=db.example.test;Username=mailmvc;Database=mail", SslMode.Prefer)]
    [InlineData("Host=127.0.0.1,db.example.test;Username=mailmvc;Database=mail", SslMode.Prefer)]
    [InlineData("Host=127.0.0.1;Username=mailmvc;Database=mail;SSL Mode=Require", SslMode.Require)]
    [InlineData("Host=localhost;Username=mailmvc;Database=mail;sslmode=prefer", SslMode.Prefer)]
    public void SslMode_ConnectionString_LoopbackWithoutTlsUnlessTheStringSaysOtherwise(string connectionString, SslMode expected)
    {
        using var store = new PostgresOutboxStore(connectionString, TimeProvider.System);

        Assert.Equal(expected, store.SslMode);
    }

    [Fact]
    public async Task Connection_LoopbackServerThatOffersTls_StoreConnectsWithoutItAndDeliversAQueuedMail()
    {
        await using var server = await SmtpTestServer.StartAsync();
        var outbox = await database.CreateOutboxAsync();
        using var store = new PostgresOutboxStore(outbox, TimeProvider.System);

        // The control: the test server takes TLS when a client prefers it, so "without" below is the store's choice.
        Assert.True(await UsesTlsAsync(outbox), "The test PostgreSQL server does not offer TLS, so this test cannot tell the modes apart.");
        Assert.False(await UsesTlsAsync(new NpgsqlConnectionStringBuilder(outbox) { SslMode = store.SslMode }.ConnectionString));

        await using var host = await OutboxTestHost.StartAsync(OutboxProvider.PostgreSql, outbox, server.Port);
        var message = new Message("Over loopback", ["reader@example.com"], body: "Queued and delivered.");
        var receipt = await host.Mailer.SendAsync(message);
        var settled = await host.WaitUntilSettledAsync(1);

        Assert.Equal(MailDisposition.Queued, receipt.Disposition);
        Assert.Equal((1L, 0L), (settled.Sent, settled.Failed));
        Assert.Equal(message.MessageId, Assert.Single(server.Messages).MessageId);
    }

    private static async Task<bool> UsesTlsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", connection);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
