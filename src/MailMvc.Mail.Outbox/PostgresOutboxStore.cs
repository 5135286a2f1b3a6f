using System.Data.Common;
using Npgsql;

namespace MailMvc.Mail.Outbox;

/// <summary>
/// The outbox in PostgreSQL, shared by every app instance: a claim locks the rows it takes and skips rows another
/// instance has locked (<c>FOR UPDATE SKIP LOCKED</c>), so no mail is claimed twice.
/// </summary>
internal sealed class PostgresOutboxStore : SqlOutboxStore, IDisposable, IAsyncDisposable
{
    // Any fixed number: instances creating the schema at the same moment take turns.
    private const long SchemaLockKey = 0x4D61696C4D7663;

    private readonly NpgsqlDataSource _dataSource;
    private readonly NpgsqlDataSource _enqueueSource;

    public PostgresOutboxStore(string connectionString, TimeProvider time) : base(time)
    {
        // Queued mail is committed durably (the server's default). Delivery records are committed without waiting
        // for the server's disk: a crash of the database server may lose the last few, which are then sent again.
        _enqueueSource = NpgsqlDataSource.Create(Prepared(connectionString));
        var builder = Prepared(connectionString);
        builder.Options = $"{builder.Options} -c synchronous_commit=off".Trim();
        _dataSource = NpgsqlDataSource.Create(builder);
    }

    /// <summary>The connection string with Npgsql's automatic preparation on and its reset of returned connections off,
    /// each unless it says otherwise. The outbox runs the same few statements for every mail, and parsing and planning
    /// them each time was a large part of the database server's work (measured: <c>base_yyparse</c> and the planner
    /// beside <c>pglz_compress</c> at the top of its profile). Behind PgBouncer in transaction mode before 1.21, add
    /// <c>Max Auto Prepare=0</c>. A pooled connection is the outbox's own (its data sources are made here and used by
    /// nothing else), and its statements leave no state in the session (no <c>SET</c> outside a transaction, no
    /// temporary tables, <c>LISTEN</c> or session advisory locks), so Npgsql's reset before each reuse (with prepared
    /// statements, <c>SET SESSION AUTHORIZATION DEFAULT</c>, <c>RESET ALL</c> and more, parsed each time: the server
    /// spent its time in <c>base_yyparse</c> and <c>ResetAllOptions</c> for them) guarded nothing
    /// (<c>No Reset On Close=true</c>; a connection string that sets it keeps its own).</summary>
    internal static NpgsqlConnectionStringBuilder Prepared(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Npgsql's own builder says it "contains" every keyword it knows: ask a plain one what the string sets.
        var given = new DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Max Auto Prepare") && !given.ContainsKey("MaxAutoPrepare"))
        {
            builder.MaxAutoPrepare = 32;
            builder.AutoPrepareMinUsages = 2;
        }

        if (!given.ContainsKey("No Reset On Close") && !given.ContainsKey("NoResetOnClose"))
        {
            builder.NoResetOnClose = true;
        }

        return builder;
    }

    /// <summary>How many statements each connection prepares (Npgsql's <c>Max Auto Prepare</c>), as the connection
    /// string set it or 32.</summary>
    internal int MaxAutoPrepare => new NpgsqlConnectionStringBuilder(_dataSource.ConnectionString).MaxAutoPrepare;

    /// <summary>Whether Npgsql resets a connection returned to each of the store's pools (the enqueue's, the
    /// deliveries'), as the connection string set it: <c>No Reset On Close</c>, no reset unless it said so.</summary>
    internal IReadOnlyList<bool> ResetsOnClose =>
        [.. new[] { _enqueueSource, _dataSource }.Select(s => !new NpgsqlConnectionStringBuilder(s.ConnectionString).NoResetOnClose)];

    /// <summary>Two: while one batch's commit waits for the server's disk (queued mail is committed durably), the next
    /// batch is built and stored through the other. Measured (docs/benchmark.md, "PostgreSQL's pooled connections and
    /// storing sessions"): 10,000 mails queued over 4 connections, two sessions faster than one in 7 of 7 alternating
    /// runs (4 pairs: loop medians 2,196 → 2,469 mails/s, with less CPU; 3 rounds of one, two and four sessions: 2,375,
    /// 2,494 and 1,952).</summary>
    public override int StoringSessions => 2;

    protected override string ClaimLocking => "FOR UPDATE SKIP LOCKED";

    // A scalar subquery, computed once per statement: PostgreSQL cannot bound an index scan by a volatile expression
    // (clock_timestamp()) itself, and would read every queued row to compare it.
    protected override string ClaimClock => "(SELECT (extract(epoch from clock_timestamp()) * 1000)::bigint)";

    protected override string Greatest => "GREATEST";

    // One statement for the whole batch, its values in one array a column: the server starts one executor and inserts
    // every row in it, where a statement a mail (pipelined in one round trip) started one for each. The ids come from the
    // column's sequence in the order of the arrays, so they are returned in the mails' order; the MIME rows use them too.
    protected override async Task<List<long>> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<OutboxItem> items,
        long now, (string Worker, long Duration)? claim, CancellationToken cancellationToken)
    {
        var (columns, values) = ClaimedRow(claim is not null);
        await using var command = Command(connection,
            $"""
            WITH input AS MATERIALIZED (
                SELECT nextval(pg_get_serial_sequence('mailmvc_outbox', 'id')) AS id, mail.*
                FROM unnest(@message_id::text[], @subject::text[], @sender::text[], @recipients::text[], @esmtp::text[],
                    @not_before::bigint[], @trace_parent::text[], @mime::bytea[], @send_as_stored::boolean[])
                    WITH ORDINALITY AS mail (message_id, subject, sender, recipients, esmtp, not_before, trace_parent, mime, send_as_stored, position)),
            stored AS (
                INSERT INTO mailmvc_outbox (id, message_id, subject, sender, recipients, esmtp, {columns}, created_at, next_attempt_at, not_before, trace_parent)
                OVERRIDING SYSTEM VALUE
                SELECT id, message_id, subject, sender, recipients, esmtp, {values}, @now, GREATEST({ClaimClock}, not_before), NULLIF(not_before, 0), trace_parent
                FROM input),
            bodies AS (
                INSERT INTO mailmvc_outbox_mime (outbox_id, mime, send_as_stored) SELECT id, mime, send_as_stored FROM input)
            SELECT id FROM input ORDER BY position
            """,
            [
                ("now", now),
                ("message_id", items.Select(i => i.MessageId).ToArray()),
                ("subject", items.Select(i => i.Subject).ToArray()),
                ("sender", items.Select(i => i.Sender).ToArray()),
                ("recipients", items.Select(i => i.Recipients).ToArray()),
                ("esmtp", items.Select(i => i.Esmtp).ToArray()),
                // 0 for none keeps the array one of numbers; the statement stores NULLIF(not_before, 0).
                ("not_before", items.Select(i => i.NotBefore?.ToUnixTimeMilliseconds() ?? 0L).ToArray()),
                ("trace_parent", items.Select(i => i.TraceParent).ToArray()),
                ("mime", items.Select(i => i.Mime).ToArray()),
                ("send_as_stored", items.Select(i => i.SendAsStored).ToArray()),
                .. claim is var (worker, duration) ? [("worker", (object?)worker), ("duration", duration)] : Array.Empty<(string, object?)>(),
            ]);
        command.Transaction = transaction;
        var ids = new List<long>(items.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            ids.Add(reader.GetInt64(0));
        }

        return ids;
    }

    // One round trip and one commit per recorded attempt.
    protected override string? FinishAttemptStatement(string set) =>
        $"""
        WITH updated AS (UPDATE mailmvc_outbox SET {set} WHERE id = @id AND locked_by = @worker RETURNING id),
             attempt AS (INSERT INTO mailmvc_outbox_attempt (outbox_id, at, outcome, reply, worker, server) SELECT id, @now, @outcome, @reply, @worker, @server FROM updated)
        SELECT count(*) FROM updated
        """;

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override async Task<DbConnection> OpenForEnqueueAsync(CancellationToken cancellationToken) =>
        await _enqueueSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    protected override IReadOnlyList<OutboxMigration> Migrations { get; } =
    [
        new(1, "outbox, MIME and attempt tables",
            """
            CREATE TABLE IF NOT EXISTS mailmvc_outbox (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                message_id text NOT NULL,
                subject text,
                sender text NOT NULL,
                recipients text NOT NULL,
                esmtp text,
                status text NOT NULL,
                attempts integer NOT NULL,
                created_at bigint NOT NULL,
                next_attempt_at bigint NOT NULL,
                locked_by text,
                locked_until bigint,
                sent_at bigint,
                last_reply text);
            CREATE TABLE IF NOT EXISTS mailmvc_outbox_mime (
                outbox_id bigint PRIMARY KEY,
                mime bytea NOT NULL);
            CREATE INDEX IF NOT EXISTS ix_mailmvc_outbox_due ON mailmvc_outbox (status, next_attempt_at);
            CREATE TABLE IF NOT EXISTS mailmvc_outbox_attempt (
                id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                outbox_id bigint NOT NULL,
                at bigint NOT NULL,
                outcome text NOT NULL,
                reply text);
            CREATE INDEX IF NOT EXISTS ix_mailmvc_outbox_attempt_outbox ON mailmvc_outbox_attempt (outbox_id);
            """),
        new(2, "attempts name the worker that made them", "ALTER TABLE mailmvc_outbox_attempt ADD COLUMN worker text;"),
        new(3, "the suppression list", SqlSuppressionList.Schema),
        new(4, "scheduled sending, trace context, and the server of each attempt",
            """
            ALTER TABLE mailmvc_outbox ADD COLUMN IF NOT EXISTS not_before bigint;
            ALTER TABLE mailmvc_outbox ADD COLUMN IF NOT EXISTS trace_parent text;
            ALTER TABLE mailmvc_outbox_attempt ADD COLUMN IF NOT EXISTS server text;
            """),
        new(5, "sending budgets shared by every instance",
            """
            CREATE TABLE IF NOT EXISTS mailmvc_outbox_budget (
                budget text NOT NULL,
                period text NOT NULL,
                window_start bigint NOT NULL,
                used bigint NOT NULL,
                PRIMARY KEY (budget, period, window_start));
            """),
        // Compressing each stored mail with pglz led the database server's profile of queued sending, for a table
        // whose rows are deleted once sent: a mail of up to about 8 KB now stays in its row as it is, a bigger one goes
        // to the TOAST table uncompressed. Rows stored before keep their form.
        new(6, OutboxMigration.SendAsStored,
            """
            ALTER TABLE mailmvc_outbox_mime ADD COLUMN IF NOT EXISTS send_as_stored boolean NOT NULL DEFAULT false;
            ALTER TABLE mailmvc_outbox_mime ALTER COLUMN mime SET STORAGE EXTERNAL;
            ALTER TABLE mailmvc_outbox_mime SET (toast_tuple_target = 8160);
            """),
    ];

    // Instances starting at once take turns: the lock is held until the migrations commit.
    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, $"SELECT pg_advisory_xact_lock({SchemaLockKey})");
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        return transaction;
    }

    public void Dispose()
    {
        _dataSource.Dispose();
        _enqueueSource.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _dataSource.DisposeAsync().ConfigureAwait(false);
        await _enqueueSource.DisposeAsync().ConfigureAwait(false);
    }
}
