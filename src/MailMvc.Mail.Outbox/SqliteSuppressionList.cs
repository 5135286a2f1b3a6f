using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace MailMvc.Mail.Outbox;

/// <summary>The suppression list in a SQLite file: the outbox's, or one of its own while the outbox is off.</summary>
internal sealed class SqliteSuppressionList : SqlSuppressionList
{
    private readonly string _connectionString;
    private readonly string _file;

    /// <summary>The list in the outbox's SQLite file, whose migrations (<paramref name="ensureSchema"/>) make the table.</summary>
    public SqliteSuppressionList(string connectionString, Func<CancellationToken, Task> ensureSchema) : base(ensureSchema)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        _connectionString = builder.ToString();
        _file = builder.DataSource;
    }

    /// <summary>The list in a file of its own, created with its table on first use.</summary>
    public static SqliteSuppressionList OwnFile(string path)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path));
        if (folder is not null)
        {
            Directory.CreateDirectory(folder);
        }

        var connectionString = new SqliteConnectionStringBuilder { DataSource = path }.ToString();
        var schema = new Lazy<Task>(() => CreateTableAsync(connectionString), LazyThreadSafetyMode.ExecutionAndPublication);
        return new SqliteSuppressionList(connectionString, async _ =>
        {
            try
            {
                await schema.Value.ConfigureAwait(false);
            }
            catch (SqliteException)
            {
                // Tried again on the next use.
                schema = new Lazy<Task>(() => CreateTableAsync(connectionString), LazyThreadSafetyMode.ExecutionAndPublication);
                throw;
            }
        });
    }

    public override string Description => $"SQLite {_file}";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA busy_timeout = 30000;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private static async Task CreateTableAsync(string connectionString)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA busy_timeout = 30000; PRAGMA journal_mode = WAL; " + Schema;
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }
}
