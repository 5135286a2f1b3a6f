using MailMvc.Mail.Outbox;
using Microsoft.Data.Sqlite;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>SQLite outboxes: a new file per test, in a temporary folder deleted with the fixture.</summary>
public sealed class SqliteOutboxDatabase : OutboxDatabase
{
    private string? _directory;

    public override OutboxProvider Provider => OutboxProvider.Sqlite;

    public override Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("mailmvc-outbox-").FullName;
        return Task.CompletedTask;
    }

    public override Task<string> CreateOutboxAsync()
    {
        var directory = _directory ?? throw new InvalidOperationException("The fixture is not initialized.");
        var file = Path.Combine(directory, $"outbox-{Guid.NewGuid():N}.db");
        return Task.FromResult(new SqliteConnectionStringBuilder { DataSource = file }.ToString());
    }

    public override async Task<string> CreateLegacyOutboxAsync()
    {
        var connectionString = await CreateOutboxAsync();
        File.Copy(LegacyFile("outbox-before-versioning.db"), new SqliteConnectionStringBuilder(connectionString).DataSource);
        return connectionString;
    }

    public override async Task<System.Data.Common.DbConnection> OpenAsync(string connectionString)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        return connection;
    }

    public override Task DisposeAsync()
    {
        if (_directory is not null)
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // A leftover temp folder is not worth failing a test over.
            }
        }

        return Task.CompletedTask;
    }
}
