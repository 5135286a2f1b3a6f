using System.Data.Common;
using Npgsql;

namespace MailMvc.Web.Welcome;

/// <summary>The bulk store in PostgreSQL, beside the outbox when the outbox uses PostgreSQL: every app instance sees
/// every job, and a job is sent by the one instance that holds its claim.</summary>
public sealed class PostgresBulkJobStore : SqlBulkJobStore, IAsyncDisposable
{
    // Any fixed number: instances creating the schema at the same moment take turns.
    private const long SchemaLockKey = 0x4D4D42756C6B;

    private readonly NpgsqlDataSource _dataSource;
    private readonly string _description;

    public PostgresBulkJobStore(string connectionString, TimeProvider time) : base(time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        _description = $"PostgreSQL {builder.Host}/{builder.Database}";
        // The pool is this store's own and its statements leave nothing in the session (no SET outside a transaction, no
        // temporary tables, only transaction-level advisory locks), so a returned connection is not reset before its
        // next use (each reset was a DISCARD ALL round trip); and the statements a running list repeats are prepared
        // once per connection. A connection string that sets either keeps its own.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 16;
            builder.AutoPrepareMinUsages = 2;
        }

        // Results are committed without waiting for the server's disk: a crash of the database server may lose the last
        // few, whose rows are then sent again (same Message-ID). A crash of the app loses nothing committed.
        builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    public override string Description => _description;

    protected override string? AfterImportStatement => "ANALYZE mailmvc_bulk_row";

    protected override IReadOnlyList<BulkSchemaMigration> Migrations { get; } =
    [
        new(1, "jobs and rows",
            """
            CREATE TABLE IF NOT EXISTS mailmvc_bulk_job (
                id text PRIMARY KEY,
                owner text NOT NULL,
                file_name text NOT NULL,
                content_hash text NOT NULL,
                state text NOT NULL,
                total integer NOT NULL,
                created_at bigint NOT NULL,
                started_at bigint,
                finished_at bigint,
                error text,
                claimed_by text,
                claimed_until bigint);
            CREATE INDEX IF NOT EXISTS ix_mailmvc_bulk_job_hash ON mailmvc_bulk_job (content_hash);
            CREATE TABLE IF NOT EXISTS mailmvc_bulk_row (
                job_id text NOT NULL,
                line integer NOT NULL,
                name text NOT NULL,
                email text NOT NULL,
                email_key text NOT NULL,
                outcome text NOT NULL,
                detail text,
                updated_at bigint NOT NULL,
                PRIMARY KEY (job_id, line));
            CREATE INDEX IF NOT EXISTS ix_mailmvc_bulk_row_outcome ON mailmvc_bulk_row (job_id, outcome, line);
            CREATE INDEX IF NOT EXISTS ix_mailmvc_bulk_row_key ON mailmvc_bulk_row (email_key, job_id);
            """),
        new(2, "rows name the language of their mail", "ALTER TABLE mailmvc_bulk_row ADD COLUMN IF NOT EXISTS locale text;"),
        new(3, "a list can be scheduled",
            """
            ALTER TABLE mailmvc_bulk_job ADD COLUMN IF NOT EXISTS send_at bigint;
            ALTER TABLE mailmvc_bulk_job ADD COLUMN IF NOT EXISTS send_at_zone text;
            """),
    ];

    /// <summary>Whether Npgsql resets a pooled connection before reusing it: no, unless the connection string says so.</summary>
    public bool ResetsOnClose => !new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString).NoResetOnClose;

    /// <summary>How many statements each connection prepares: 16, unless the connection string says otherwise.</summary>
    public int MaxAutoPrepare => new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString).MaxAutoPrepare;

    // One array parameter: the statement's text is the same whatever the number of lines, so it is prepared once.
    protected override string LinesIn(int count) => "= ANY(@lines)";

    protected override void AddLines(DbCommand command, IReadOnlyList<int> lines)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(lines);
        command.Parameters.Add(new NpgsqlParameter<int[]>("lines", [.. lines]));
    }

    // One statement for the whole batch, its rows in arrays: one round trip, where a statement a row waited for the server
    // once per row (a 10,000-row list made 10,000 of them). A row given twice keeps its last result, as it would row by row.
    protected override async Task CompleteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<BulkRowCompletion> completed, long now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completed);
        var last = new Dictionary<(string JobId, int Line), BulkRowCompletion>(completed.Count);
        foreach (var row in completed)
        {
            last[(row.JobId, row.Line)] = row;
        }

        await using var command = new NpgsqlCommand(
            """
            UPDATE mailmvc_bulk_row SET outcome = c.outcome, detail = c.detail, updated_at = @now
            FROM unnest(@jobs, @lines, @outcomes, @details) AS c(job_id, line, outcome, detail)
            WHERE mailmvc_bulk_row.job_id = c.job_id AND mailmvc_bulk_row.line = c.line
            """, (NpgsqlConnection)connection, (NpgsqlTransaction)transaction);
        command.Parameters.Add(new NpgsqlParameter<long>("now", now));
        command.Parameters.Add(new NpgsqlParameter<string[]>("jobs", [.. last.Values.Select(r => r.JobId)]));
        command.Parameters.Add(new NpgsqlParameter<int[]>("lines", [.. last.Values.Select(r => r.Line)]));
        command.Parameters.Add(new NpgsqlParameter<string[]>("outcomes", [.. last.Values.Select(r => Name(r.Outcome))]));
        command.Parameters.Add(new NpgsqlParameter<string?[]>("details", [.. last.Values.Select(r => r.Detail)]));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken);

    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({SchemaLockKey})";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
