using System.Net.Sockets;
using MailMvc.Mail.Outbox;
using Npgsql;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>
/// PostgreSQL outboxes: a fresh database per test class (<c>mailmvc_test_&lt;guid&gt;</c>, dropped WITH (FORCE)
/// at the end) and a schema of its own per test, so no test's hosts see another test's mail. The server is
/// <c>MAILMVC_TEST_POSTGRES</c>, by default the one <c>bash .ci/setup</c> starts. When it cannot be reached the
/// tests fail, saying so; they never skip.
/// </summary>
public sealed class PostgresOutboxDatabase : OutboxDatabase
{
    public const string EnvironmentVariable = "MAILMVC_TEST_POSTGRES";
    private const string DefaultConnectionString = "Host=127.0.0.1;Port=5432;Username=mailmvc;Password=mailmvc;Database=postgres";

    private readonly NpgsqlConnectionStringBuilder _server = new(
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } configured ? configured : DefaultConnectionString);
    private readonly string _database = $"mailmvc_test_{Guid.NewGuid():N}";
    private bool _created;

    public override OutboxProvider Provider => OutboxProvider.PostgreSql;

    public override async Task InitializeAsync()
    {
        try
        {
            await ExecuteAdminAsync(Admin(_server.Database), $"CREATE DATABASE \"{_database}\"");
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            throw new InvalidOperationException(
                $"PostgreSQL is not reachable at {_server.Host}:{_server.Port} as '{_server.Username}', or that role may not " +
                $"CREATE DATABASE ({e.Message}). Run: bash .ci/setup (or point {EnvironmentVariable} at such a server).", e);
        }

        _created = true;
    }

    public override async Task<string> CreateOutboxAsync()
    {
        if (!_created)
        {
            throw new InvalidOperationException("The fixture is not initialized.");
        }

        var schema = $"outbox_{Guid.NewGuid():N}";
        await ExecuteAdminAsync(Admin(_database), $"CREATE SCHEMA {schema}");
        return new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = _database, SearchPath = schema }.ConnectionString;
    }

    public override async Task<string> CreateLegacyOutboxAsync()
    {
        var connectionString = await CreateOutboxAsync();
        await ExecuteAsync(connectionString, await File.ReadAllTextAsync(LegacyFile("outbox-before-versioning.postgres.sql")));
        return connectionString;
    }

    public override async Task<System.Data.Common.DbConnection> OpenAsync(string connectionString)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    public override async Task DisposeAsync()
    {
        if (!_created)
        {
            return;
        }

        // FORCE ends the sessions still on the database, but a role without pg_signal_backend may only end its own: an
        // autovacuum worker that happens to be cleaning up after the test's writes is refused (42501) and finishes in
        // moments, so the drop is tried again (one CI run in several failed here).
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAdminAsync(Admin(_server.Database), $"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 50)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200));
            }
        }
    }

    private static async Task ExecuteAdminAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>The fixture's own connections are not pooled, so none is left open on a database it drops.</summary>
    private string Admin(string? database) =>
        new NpgsqlConnectionStringBuilder(_server.ConnectionString) { Database = database, Pooling = false }.ConnectionString;
}
