using System.Data.Common;
using MailMvc.Mail.Suppression;
using Microsoft.Data.Sqlite;

namespace MailMvc.Mail.Outbox;

/// <summary>The suppression list in a SQLite file: the outbox's, or one of its own while the outbox is off.</summary>
internal sealed class SqliteSuppressionList : SqlSuppressionList, IDisposable
{
    private readonly string _connectionString;
    private readonly string _file;

    // One connection kept open for lookups, its statement compiled once: a bulk list looks up every row's address, and
    // opening a connection, setting it up and compiling the statement cost several times the lookup. Each lookup reads
    // what was committed last, by any connection or process: one statement for one key, one read transaction for several.
    private readonly Lock _lookupGate = new();
    private SqliteConnection? _lookupConnection;
    private SqliteCommand? _lookup;
    private bool _disposed;

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

    protected override Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        // SQLite opens and runs statements synchronously; its async methods only check the token first.
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult<DbConnection>(Open());
    }

    /// <summary>A connection that waits for a writer instead of failing at once.</summary>
    private SqliteConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            pragmas.CommandText = "PRAGMA busy_timeout = 30000;";
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException)
        {
            connection.Dispose();
            throw;
        }
    }

    protected override Task<IReadOnlyList<SuppressedAddress>> FindKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        // Another lookup under way (a page, a second list) takes a connection of its own from the pool instead of waiting.
        if (!_lookupGate.TryEnter())
        {
            return base.FindKeysAsync(keys, cancellationToken);
        }

        try
        {
            if (_disposed)
            {
                return base.FindKeysAsync(keys, cancellationToken);
            }

            cancellationToken.ThrowIfCancellationRequested();
            var lookup = _lookup ?? PrepareLookup();
            var found = new List<SuppressedAddress>();
            // Several keys are read in one read transaction (deferred: it takes no write lock): one snapshot of what was
            // committed last, and the file's locks taken once instead of twice a key.
            using var transaction = keys.Count > 1 ? _lookupConnection!.BeginTransaction(deferred: true) : null;
            lookup.Transaction = transaction;
            try
            {
                foreach (var key in keys)
                {
                    lookup.Parameters[0].Value = key;
                    using var reader = lookup.ExecuteReader();
                    while (reader.Read())
                    {
                        found.Add(ReadEntry(reader));
                    }
                }

                transaction?.Commit();
            }
            finally
            {
                lookup.Transaction = null;
            }

            return Task.FromResult<IReadOnlyList<SuppressedAddress>>(found);
        }
        catch (SqliteException)
        {
            // Not kept: the next lookup opens a new connection.
            CloseLookup();
            throw;
        }
        finally
        {
            _lookupGate.Exit();
        }
    }

    public void Dispose()
    {
        lock (_lookupGate)
        {
            _disposed = true;
            CloseLookup();
        }
    }

    private SqliteCommand PrepareLookup()
    {
        var connection = Open();
        try
        {
            var lookup = connection.CreateCommand();
            lookup.CommandText = $"{SelectEntries} WHERE address = @address";
            lookup.Parameters.Add("@address", SqliteType.Text);
            lookup.Prepare();
            (_lookupConnection, _lookup) = (connection, lookup);
            return lookup;
        }
        catch (SqliteException)
        {
            connection.Dispose();
            throw;
        }
    }

    private void CloseLookup()
    {
        _lookup?.Dispose();
        _lookupConnection?.Dispose();
        (_lookupConnection, _lookup) = (null, null);
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
