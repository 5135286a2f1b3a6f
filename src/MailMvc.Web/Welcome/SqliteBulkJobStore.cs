using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace MailMvc.Web.Welcome;

/// <summary>The bulk store in a SQLite file (write-ahead log), created on first use: <c>App_Data/bulk.db</c> unless
/// <see cref="BulkWelcomeOptions.DatabasePath"/> says otherwise.</summary>
public sealed class SqliteBulkJobStore : SqlBulkJobStore
{
    private readonly string _connectionString;
    private readonly string _path;

    public SqliteBulkJobStore(string path, TimeProvider time) : base(time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        _path = Path.GetFullPath(path);
        if (Path.GetDirectoryName(_path) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        _connectionString = new SqliteConnectionStringBuilder { DataSource = _path, Pooling = true, DefaultTimeout = 30 }.ToString();
    }

    public override string Description => $"SQLite {_path}";

    protected override IReadOnlyList<BulkSchemaMigration> Migrations { get; } =
    [
        new(1, "jobs and rows",
            """
            CREATE TABLE IF NOT EXISTS mailmvc_bulk_job (
                id TEXT PRIMARY KEY,
                owner TEXT NOT NULL,
                file_name TEXT NOT NULL,
                content_hash TEXT NOT NULL,
                state TEXT NOT NULL,
                total INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                started_at INTEGER,
                finished_at INTEGER,
                error TEXT,
                claimed_by TEXT,
                claimed_until INTEGER);
            CREATE INDEX IF NOT EXISTS ix_mailmvc_bulk_job_hash ON mailmvc_bulk_job (content_hash);
            CREATE TABLE IF NOT EXISTS mailmvc_bulk_row (
                job_id TEXT NOT NULL,
                line INTEGER NOT NULL,
                name TEXT NOT NULL,
                email TEXT NOT NULL,
                email_key TEXT NOT NULL,
                outcome TEXT NOT NULL,
                detail TEXT,
                updated_at INTEGER NOT NULL,
                PRIMARY KEY (job_id, line)) WITHOUT ROWID;
            CREATE INDEX IF NOT EXISTS ix_mailmvc_bulk_row_outcome ON mailmvc_bulk_row (job_id, outcome, line);
            CREATE INDEX IF NOT EXISTS ix_mailmvc_bulk_row_key ON mailmvc_bulk_row (email_key, job_id);
            """),
        new(2, "rows name the language of their mail", "ALTER TABLE mailmvc_bulk_row ADD COLUMN locale TEXT;"),
        new(3, "a list can be scheduled",
            """
            ALTER TABLE mailmvc_bulk_job ADD COLUMN send_at INTEGER;
            ALTER TABLE mailmvc_bulk_job ADD COLUMN send_at_zone TEXT;
            """),
    ];

    // A row's result survives a crash of the app; after a power cut the last few rows may be sent again, never lost.
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragmas = connection.CreateCommand();
        pragmas.CommandText = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 30000;";
        await pragmas.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    // One prepared statement run once per row: SQLite's fastest way in, with no round trips to save. (A statement of
    // many rows binds each of its hundreds of named parameters by searching the list of names.)
    protected override async Task InsertRowsAsync(DbConnection connection, DbTransaction transaction, string jobId, IReadOnlyList<BulkRow> rows, long now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        await using var command = (SqliteCommand)connection.CreateCommand();
        command.Transaction = (SqliteTransaction)transaction;
        command.CommandText = $"{InsertRow} (@job, @line, @name, @email, @key, @outcome, @detail, @locale, @now)";
        command.Parameters.AddWithValue("@job", jobId);
        command.Parameters.AddWithValue("@now", now);
        var line = command.Parameters.Add("@line", SqliteType.Integer);
        var name = command.Parameters.Add("@name", SqliteType.Text);
        var email = command.Parameters.Add("@email", SqliteType.Text);
        var key = command.Parameters.Add("@key", SqliteType.Text);
        var outcome = command.Parameters.Add("@outcome", SqliteType.Text);
        var detail = command.Parameters.Add("@detail", SqliteType.Text);
        var locale = command.Parameters.Add("@locale", SqliteType.Text);
        command.Prepare();
        foreach (var row in rows)
        {
            line.Value = row.Line;
            name.Value = row.Name;
            email.Value = row.Email;
            key.Value = row.EmailKey;
            outcome.Value = Name(row.Outcome);
            detail.Value = (object?)row.Detail ?? DBNull.Value;
            locale.Value = (object?)row.Locale ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        // A write transaction from the start: two processes creating the schema take turns.
        return await Task.FromResult(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }
}
