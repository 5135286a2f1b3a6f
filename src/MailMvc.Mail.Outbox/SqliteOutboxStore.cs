using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace MailMvc.Mail.Outbox;

/// <summary>The outbox in a SQLite file (write-ahead log), created on first use.</summary>
internal sealed class SqliteOutboxStore : SqlOutboxStore
{
    // One turn at the file per process: SQLite has one writer at a time, and a writer that finds the file locked
    // sleeps in steps of milliseconds before it tries again (busy_timeout). Senders and delivery workers of this
    // process queue here instead, which costs nothing; other processes on the same file still take turns through
    // busy_timeout. Measured: 4 connections delivering while 4 threads enqueue spent their time asleep.
    private static readonly ConcurrentDictionary<string, SemaphoreSlim> s_turns = new(StringComparer.Ordinal);

    private readonly string _connectionString;
    private readonly SemaphoreSlim _turn;

    public SqliteOutboxStore(string connectionString, TimeProvider time) : base(time)
    {
        var builder = new SqliteConnectionStringBuilder(connectionString) { Pooling = true };
        if (Path.GetDirectoryName(Path.GetFullPath(builder.DataSource)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        // Writers wait for each other instead of failing with "database is locked".
        builder.DefaultTimeout = Math.Max(builder.DefaultTimeout, 30);
        _connectionString = builder.ToString();
        _turn = s_turns.GetOrAdd(Path.GetFullPath(builder.DataSource), _ => new SemaphoreSlim(1, 1));
    }

    // One command for the whole batch, its values set for each mail: SQLite keeps a command's prepared statements between
    // runs, so the statements are parsed and planned once a batch, not once a mail. (A statement of many rows binds each
    // of its named parameters by searching the list of names: slower, measured for the welcome lists' rows.)
    protected override async Task<List<long>> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<OutboxItem> items,
        long now, (string Worker, long Duration)? claim, CancellationToken cancellationToken)
    {
        (string Name, object? Value)[] Parameters(OutboxItem item) =>
            claim is var (worker, duration) ? [.. InsertParameters(item, now), ("worker", worker), ("duration", duration)] : InsertParameters(item, now);
        await using var command = Command(connection, InsertStatement(claim is not null), Parameters(items[0]));
        command.Transaction = transaction;
        var ids = new List<long>(items.Count);
        foreach (var item in items)
        {
            SetValues(command.Parameters, Parameters(item));
            ids.Add(Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), CultureInfo.InvariantCulture));
        }

        return ids;
    }

    // The MIME row's key is the outbox row's, so last_insert_rowid() stays the new mail's id.
    private string InsertStatement(bool claimed)
    {
        var (columns, values) = ClaimedRow(claimed);
        return $"""
            INSERT INTO mailmvc_outbox (message_id, subject, sender, recipients, esmtp, {columns}, created_at, next_attempt_at, not_before, trace_parent)
            VALUES (@message_id, @subject, @sender, @recipients, @esmtp, {values}, @now, MAX(@now, @not_before), NULLIF(@not_before, 0), @trace_parent);
            INSERT INTO mailmvc_outbox_mime (outbox_id, mime, send_as_stored) VALUES (last_insert_rowid(), @mime, @send_as_stored);
            SELECT last_insert_rowid();
            """;
    }

    // SQLite has one writer at a time: an UPDATE's row choice and its changes are already atomic.
    protected override string ClaimLocking => "";

    // Queued mail is synced to disk before the sender hears "queued": it survives a power cut, not only a crash.
    protected override Task<DbConnection> OpenForEnqueueAsync(CancellationToken cancellationToken) => OpenAsync("FULL", cancellationToken);

    // A delivery's record survives a crash of the app; after a power cut the last few may be sent again, never lost.
    protected override Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => OpenAsync("NORMAL", cancellationToken);

    private async Task<DbConnection> OpenAsync(string synchronous, CancellationToken cancellationToken)
    {
        await _turn.WaitAsync(cancellationToken).ConfigureAwait(false);
        var connection = new TurnConnection(_connectionString, _turn);
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var pragmas = connection.CreateCommand();
            pragmas.CommandText = $"PRAGMA synchronous = {synchronous}; PRAGMA busy_timeout = 30000;";
            await pragmas.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>A connection that holds this process's turn at the file until it is disposed.</summary>
    private sealed class TurnConnection(string connectionString, SemaphoreSlim turn) : SqliteConnection(connectionString)
    {
        private int _released;

        protected override void Dispose(bool disposing)
        {
            base.Dispose(disposing);
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                turn.Release();
            }
        }
    }

    protected override IReadOnlyList<OutboxMigration> Migrations { get; } =
    [
        new(1, "outbox, MIME and attempt tables",
            """
            CREATE TABLE IF NOT EXISTS mailmvc_outbox (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                message_id TEXT NOT NULL,
                subject TEXT,
                sender TEXT NOT NULL,
                recipients TEXT NOT NULL,
                esmtp TEXT,
                status TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                created_at INTEGER NOT NULL,
                next_attempt_at INTEGER NOT NULL,
                locked_by TEXT,
                locked_until INTEGER,
                sent_at INTEGER,
                last_reply TEXT);
            CREATE TABLE IF NOT EXISTS mailmvc_outbox_mime (
                outbox_id INTEGER PRIMARY KEY,
                mime BLOB NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_mailmvc_outbox_due ON mailmvc_outbox (status, next_attempt_at);
            CREATE TABLE IF NOT EXISTS mailmvc_outbox_attempt (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                outbox_id INTEGER NOT NULL,
                at INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                reply TEXT);
            CREATE INDEX IF NOT EXISTS ix_mailmvc_outbox_attempt_outbox ON mailmvc_outbox_attempt (outbox_id);
            """),
        new(2, "attempts name the worker that made them", "ALTER TABLE mailmvc_outbox_attempt ADD COLUMN worker TEXT;"),
        new(3, "the suppression list", SqlSuppressionList.Schema),
        new(4, "scheduled sending, trace context, and the server of each attempt",
            """
            ALTER TABLE mailmvc_outbox ADD COLUMN not_before INTEGER;
            ALTER TABLE mailmvc_outbox ADD COLUMN trace_parent TEXT;
            ALTER TABLE mailmvc_outbox_attempt ADD COLUMN server TEXT;
            """),
        new(5, "sending budgets shared by every instance",
            """
            CREATE TABLE IF NOT EXISTS mailmvc_outbox_budget (
                budget TEXT NOT NULL,
                period TEXT NOT NULL,
                window_start INTEGER NOT NULL,
                used INTEGER NOT NULL,
                PRIMARY KEY (budget, period, window_start));
            """),
        // PostgreSQL's step 6 also stops compressing the MIME; SQLite never did.
        new(6, OutboxMigration.SendAsStored, "ALTER TABLE mailmvc_outbox_mime ADD COLUMN send_as_stored INTEGER NOT NULL DEFAULT 0;"),
    ];

    // BEGIN IMMEDIATE takes the write lock at once: instances starting at once take turns (busy_timeout waits).
    // The write-ahead log is a property of the file, set outside any transaction.
    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        await using (var wal = Command(connection, "PRAGMA journal_mode = WAL;"))
        {
            await wal.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return ((SqliteConnection)connection).BeginTransaction(deferred: false);
    }
}
