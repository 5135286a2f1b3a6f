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
