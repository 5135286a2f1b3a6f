using System.Data.Common;

namespace MailMvc.Mail.Outbox;

/// <summary>
/// The outbox in a SQL database, with ADO.NET: the statements both SQLite and PostgreSQL run; subclasses supply
/// the connection, the schema and the claim statement's locking. Times are stored as Unix milliseconds; the MIME
/// bytes live in a table of their own, so the small rows that change with every attempt stay small.
/// </summary>
internal abstract partial class SqlOutboxStore : IOutboxStore
{
    private const string Columns = "id, message_id, subject, sender, recipients, esmtp, attempts, created_at, not_before, trace_parent";

    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    protected SqlOutboxStore(TimeProvider time) => _time = time;

    /// <summary>Stores the mails (their rows and MIME bytes) in <paramref name="transaction"/>: queued, or when
    /// <paramref name="claim"/> is given already claimed by its worker for its duration in milliseconds (see
    /// <see cref="ClaimedRow"/>).</summary>
    /// <returns>Their ids, in order.</returns>
    protected abstract Task<List<long>> InsertAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<OutboxItem> items, long now,
        (string Worker, long Duration)? claim, CancellationToken cancellationToken);

    /// <summary>The outbox row's state columns and their values for an insert: queued with no attempt, or claimed as
    /// <see cref="ClaimAsync"/> leaves a row (sending, one attempt counted, locked by <c>@worker</c> until <c>@duration</c>
    /// milliseconds from now).</summary>
    protected (string Columns, string Values) ClaimedRow(bool claimed) => claimed
        ? ("status, attempts, locked_by, locked_until", $"'sending', 1, @worker, {ClaimClock} + @duration")
        : ("status, attempts", "'queued', 0");

    /// <summary>Records an attempt and the mail's new state (<c>{set}</c>) in one statement, returning 1 when this
    /// worker still held the claim; null where the database needs a transaction of two statements instead.</summary>
    protected virtual string? FinishAttemptStatement(string set) => null;

    /// <summary>The current time in Unix milliseconds as the claims see it: <c>@now</c> (this process's clock), or the
    /// database server's clock where several machines share the outbox, so their clocks cannot disagree about a claim.</summary>
    protected virtual string ClaimClock => "@now";

    /// <summary>Appended to the claim's inner SELECT: <c>FOR UPDATE SKIP LOCKED</c> where the database has it.</summary>
    protected abstract string ClaimLocking { get; }

    /// <inheritdoc />
    public virtual int StoringSessions => 1;

    /// <summary>Opens a connection, ready for statements.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Opens a connection for storing new mail, which must be on disk when the commit returns.</summary>
    protected virtual Task<DbConnection> OpenForEnqueueAsync(CancellationToken cancellationToken) => OpenAsync(cancellationToken);

    /// <summary>The schema's migrations, in order; each runs once per database, in the transaction
    /// <see cref="BeginMigrationAsync"/> opens.</summary>
    protected abstract IReadOnlyList<OutboxMigration> Migrations { get; }

    /// <summary>Opens the transaction the migrations run in, holding a lock that other instances migrating the same
    /// database wait for.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The newest schema version this code knows.</summary>
    public int LatestSchemaVersion => Migrations[^1].Version;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_schemaReady)
            {
                await MigrateAsync(cancellationToken).ConfigureAwait(false);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    /// <summary>Applies the migrations the database lacks, all in one transaction under the migration lock. A database
    /// made before the schema was versioned has the first version's tables and no version table: its migration,
    /// written to create only what is missing, adopts them.</summary>
    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (await IsCurrentAsync(connection, cancellationToken).ConfigureAwait(false))
        {
            // Up to date: no lock and no DDL, so an app role without CREATE rights starts too.
            return;
        }

        await using var transaction = await BeginMigrationAsync(connection, cancellationToken).ConfigureAwait(false);
        await using (var table = Command(connection,
            "CREATE TABLE IF NOT EXISTS mailmvc_outbox_schema (version integer PRIMARY KEY, description text NOT NULL, applied_at bigint NOT NULL)"))
        {
            table.Transaction = transaction;
            await table.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        var current = await ReadVersionAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        if (current > LatestSchemaVersion)
        {
            throw new OutboxSchemaException(
                $"The outbox database is at schema version {current}, newer than this app knows ({LatestSchemaVersion}): " +
                "a newer version of the app upgraded it. Run that version, or point Mail:Outbox:ConnectionString at another database.");
        }

        foreach (var migration in Migrations.Where(m => m.Version > current))
        {
            await using var step = Command(connection, migration.Sql);
            step.Transaction = transaction;
            await step.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            await using var record = Command(connection,
                "INSERT INTO mailmvc_outbox_schema (version, description, applied_at) VALUES (@version, @description, @now)",
                ("version", migration.Version), ("description", migration.Description), ("now", Now()));
            record.Transaction = transaction;
            await record.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>True when the version table exists and is at <see cref="LatestSchemaVersion"/>; read without a lock or a transaction.</summary>
    private async Task<bool> IsCurrentAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM mailmvc_outbox_schema");
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture)
                == LatestSchemaVersion;
        }
        catch (DbException)
        {
            // No version table yet: the migration below creates it.
            return false;
        }
    }

    private static async Task<int> ReadVersionAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM mailmvc_outbox_schema");
        command.Transaction = transaction;
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
    }

    public Task<IReadOnlyList<long>> EnqueueManyAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken) =>
        EnqueueAsync(items, null, cancellationToken);

    public async Task<IReadOnlyList<long>?> EnqueueClaimedAsync(IReadOnlyList<OutboxItem> items, string worker, TimeSpan claimDuration,
        CancellationToken cancellationToken) =>
        await EnqueueAsync(items, (worker, (long)claimDuration.TotalMilliseconds), cancellationToken).ConfigureAwait(false);

    private async Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<OutboxItem> items, (string Worker, long Duration)? claim,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var now = Now();
        await using var connection = await OpenForEnqueueAsync(cancellationToken).ConfigureAwait(false);
        // One transaction, so one sync to disk, for the whole batch.
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var ids = items.Count == 0 ? [] : await InsertAsync(connection, transaction, items, now, claim, cancellationToken).ConfigureAwait(false);
        // Not cancelled once the rows are in: a commit cancelled after the database made it would tell the sender "not
        // queued" for mail that is (sent twice if the sender tries again), and leave claimed mail unhanded until its
        // claim expires.
        await transaction.CommitAsync(CancellationToken.None).ConfigureAwait(false);
        return ids;
    }

    public async Task<IReadOnlyList<OutboxItem>> ClaimAsync(string worker, int max, TimeSpan claimDuration, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        var now = Now();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Claims another instance left to expire first, then due mail. Each is one statement whose rows are claimed
        // atomically, rows another instance is claiming skipped; each reads one range of the (status, next_attempt_at)
        // index in order, where one statement with both conditions made the database gather and sort every row of both
        // (and, in PostgreSQL, every dead index entry a busy queue leaves until vacuum).
        var items = new List<OutboxItem>();
        await ClaimWhereAsync(connection, $"status = 'sending' AND locked_until < {ClaimClock} ORDER BY locked_until, id",
            worker, max, claimDuration, now, items, cancellationToken).ConfigureAwait(false);
        if (items.Count < max)
        {
            await ClaimWhereAsync(connection, $"status = 'queued' AND next_attempt_at <= {ClaimClock} ORDER BY next_attempt_at, id",
                worker, max - items.Count, claimDuration, now, items, cancellationToken).ConfigureAwait(false);
        }

        if (items.Count == 0)
        {
            return items;
        }

        await using var bodies = Command(connection,
            $"SELECT outbox_id, mime, send_as_stored FROM mailmvc_outbox_mime WHERE outbox_id IN ({IdList(items.Select(i => i.Id))})");
        var mime = new Dictionary<long, (byte[] Bytes, bool SendAsStored)>(items.Count);
        await using (var reader = await bodies.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                mime[reader.GetInt64(0)] = ((byte[])reader.GetValue(1), reader.GetBoolean(2));
            }
        }

        return items.OrderBy(i => i.Id).Select(i => mime.TryGetValue(i.Id, out var m) ? i with { Mime = m.Bytes, SendAsStored = m.SendAsStored } : i).ToList();
    }

    private async Task ClaimWhereAsync(DbConnection connection, string condition, string worker, int max, TimeSpan claimDuration, long now,
        List<OutboxItem> items, CancellationToken cancellationToken)
    {
        await using var command = Command(connection,
            $"""
            UPDATE mailmvc_outbox SET status = 'sending', locked_by = @worker, locked_until = {ClaimClock} + @duration, attempts = attempts + 1
            WHERE id IN (SELECT id FROM mailmvc_outbox WHERE {condition} LIMIT @max {ClaimLocking})
            RETURNING {Columns}
            """,
            ("worker", worker), ("duration", (long)claimDuration.TotalMilliseconds), ("now", now), ("max", max));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            items.Add(new OutboxItem(
                reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetString(5), [], reader.GetInt32(6), FromUnix(reader.GetInt64(7)))
            {
                NotBefore = reader.IsDBNull(8) ? null : FromUnix(reader.GetInt64(8)),
                TraceParent = reader.IsDBNull(9) ? null : reader.GetString(9),
            });
        }
    }

    public async Task<bool> RenewAsync(IReadOnlyCollection<long> ids, long sending, string worker, TimeSpan claimDuration, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"UPDATE mailmvc_outbox SET locked_until = {ClaimClock} + @duration WHERE id IN ({IdList(ids)}) AND locked_by = @worker AND status = 'sending' RETURNING id",
            ("worker", worker), ("duration", (long)claimDuration.TotalMilliseconds), ("now", Now()));
        var held = false;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            held |= reader.GetInt64(0) == sending;
        }

        return held;
    }

    public Task<bool> MarkSentAsync(long id, string worker, string? reply, CancellationToken cancellationToken) =>
        MarkSentAsync(id, worker, reply, null, cancellationToken);

    public Task<bool> MarkSentAsync(long id, string worker, string? reply, string? server, CancellationToken cancellationToken) =>
        FinishAttemptAsync(id, worker, "sent", reply, SentSet, null, cancellationToken, server);

    public async Task<IReadOnlyList<bool>> MarkSentAsync(IReadOnlyList<OutboxDelivery> deliveries, string worker, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveries);
        var owned = new List<bool>(deliveries.Count);
        if (deliveries.Count == 0)
        {
            return owned;
        }

        var now = Now();
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        (string Name, object? Value)[] Parameters(OutboxDelivery delivery) =>
            [("id", delivery.Id), ("worker", worker), ("now", now), ("reply", delivery.Reply), ("next", null), ("outcome", "sent"), ("server", delivery.Server)];
        if (connection.CanCreateBatch && FinishAttemptStatement(SentSet) is { } statement)
        {
            // One round trip for the whole batch instead of one a mail.
            await using var batch = connection.CreateBatch();
            batch.Transaction = transaction;
            foreach (var delivery in deliveries)
            {
                var command = batch.CreateBatchCommand();
                command.CommandText = statement;
                AddParameters(command.Parameters, command.CreateParameter, Parameters(delivery));
                batch.BatchCommands.Add(command);
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            do
            {
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    owned.Add(Convert.ToInt64(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture) == 1);
                }
            }
            while (await reader.NextResultAsync(cancellationToken).ConfigureAwait(false));
        }
        else
        {
            // The same two commands for every delivery of the batch, prepared once (see EnqueueManyAsync).
            await using var update = Command(connection, OwnedUpdate(SentSet), Parameters(deliveries[0]));
            update.Transaction = transaction;
            await using var attempt = Command(connection, AttemptInsert, Parameters(deliveries[0]));
            attempt.Transaction = transaction;
            foreach (var delivery in deliveries)
            {
                var values = Parameters(delivery);
                SetValues(update.Parameters, values);
                var isOwned = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
                if (isOwned)
                {
                    // Only the claim's holder records an attempt.
                    SetValues(attempt.Parameters, values);
                    await attempt.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }

                owned.Add(isOwned);
            }
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return owned;
    }

    private const string SentSet = "status = 'sent', sent_at = @now, last_reply = @reply, locked_by = NULL, locked_until = NULL";

    public Task<bool> MarkRetryAsync(long id, string worker, TimeSpan delay, string reply, CancellationToken cancellationToken) =>
        FinishAttemptAsync(id, worker, "retry", reply,
            $"status = 'queued', next_attempt_at = {ClaimClock} + @next, last_reply = @reply, locked_by = NULL, locked_until = NULL",
            (long)delay.TotalMilliseconds, cancellationToken);

    public Task<bool> MarkFailedAsync(long id, string worker, string reply, CancellationToken cancellationToken) =>
        FinishAttemptAsync(id, worker, "failed", reply,
            "status = 'failed', last_reply = @reply, locked_by = NULL, locked_until = NULL", null, cancellationToken);

    public async Task ReleaseAsync(IReadOnlyCollection<long> ids, string worker, CancellationToken cancellationToken)
    {
        if (ids.Count == 0)
        {
            return;
        }

        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"UPDATE mailmvc_outbox SET status = 'queued', attempts = attempts - 1, locked_by = NULL, locked_until = NULL WHERE id IN ({IdList(ids)}) AND locked_by = @worker",
            ("worker", worker));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task<int> DeleteSentBeforeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var attempts = Command(connection,
            $"DELETE FROM mailmvc_outbox_attempt WHERE outbox_id IN (SELECT id FROM mailmvc_outbox WHERE {Finished})",
            ("before", before.ToUnixTimeMilliseconds()));
        await attempts.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await using var bodies = Command(connection,
            $"DELETE FROM mailmvc_outbox_mime WHERE outbox_id IN (SELECT id FROM mailmvc_outbox WHERE {Finished})",
            ("before", before.ToUnixTimeMilliseconds()));
        await bodies.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        await DeleteOldBudgetWindowsAsync(connection, before, cancellationToken).ConfigureAwait(false);
        await using var rows = Command(connection, $"DELETE FROM mailmvc_outbox WHERE {Finished}",
            ("before", before.ToUnixTimeMilliseconds()));
        return await rows.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    // Sent mails by when they went; cancelled ones by when they were to go.
    private const string Finished = "(status = 'sent' AND sent_at < @before) OR (status = 'cancelled' AND next_attempt_at < @before)";

    // One statement, so one moment: the finished states counted from the index on (status, next_attempt_at) alone where
    // the database can (SQLite 66-68 ms for a million sent mails, where one aggregate that also worked out the oldest
    // waiting mail read every row, 167-230 ms), and the waiting states as the backlog reads them.
    public async Task<OutboxCounts> GetCountsAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await TallyAsync(connection,
            $"""
            SELECT status, COUNT(*), NULL, 0 FROM mailmvc_outbox WHERE status NOT IN {WaitingStates} GROUP BY status
            UNION ALL
            {BacklogQuery}
            """, cancellationToken).ConfigureAwait(false);
    }

    // Reads the queued and sending rows alone (through the index on status), so its cost grows with the mail waiting,
    // not with the sent mail kept: the metrics ask every 5 seconds in every instance (with a million sent mails and none
    // waiting, SQLite 0.1-0.3 ms and PostgreSQL 0.2-0.5 ms, where counting everything took 170-230 and 108-110 ms).
    public async Task<OutboxBacklog> GetBacklogAsync(CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return OutboxBacklog.From(await TallyAsync(connection, BacklogQuery, cancellationToken).ConfigureAwait(false));
    }

    private const string WaitingStates = "('queued', 'sending')";

    // A scheduled mail is not waiting before its time, and waits from its time after it.
    private string BacklogQuery =>
        $"""
        SELECT status, COUNT(*),
            MIN(CASE WHEN not_before > {ClaimClock} THEN NULL WHEN not_before > created_at THEN not_before ELSE created_at END),
            SUM(CASE WHEN not_before > {ClaimClock} THEN 1 ELSE 0 END)
        FROM mailmvc_outbox WHERE status IN {WaitingStates} GROUP BY status
        """;

    /// <summary>Reads rows of (status, count, the oldest waiting mail's due time, how many wait for a time ahead); the
    /// states a query leaves out count as none.</summary>
    private async Task<OutboxCounts> TallyAsync(DbConnection connection, string query, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, query, ("now", Now()));
        long queued = 0, sending = 0, sent = 0, failed = 0, cancelled = 0, scheduled = 0;
        long? oldest = null;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var count = reader.GetInt64(1);
            switch (reader.GetString(0))
            {
                case "queued":
                    queued = count;
                    scheduled = reader.GetInt64(3);
                    break;
                case "sending": sending = count; break;
                case "sent": sent = count; break;
                case "cancelled": cancelled = count; break;
                // Any other state (written by something else) counts as failed, as it always has.
                default: failed += count; break;
            }

            if (!reader.IsDBNull(2))
            {
                oldest = Math.Min(oldest ?? long.MaxValue, reader.GetInt64(2));
            }
        }

        return new OutboxCounts(queued, sending, sent, failed, oldest is null ? null : FromUnix(oldest.Value))
        {
            Scheduled = scheduled,
            Cancelled = cancelled,
        };
    }

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken = default) =>
        QueryEntriesAsync("@status IS NULL OR status = @status ORDER BY id DESC LIMIT @limit",
            [("status", status?.ToString().ToLowerInvariant()), ("limit", limit)], cancellationToken);

    public async Task<OutboxEntry?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        (await QueryEntriesAsync("id = @id", [("id", id)], cancellationToken).ConfigureAwait(false)).SingleOrDefault();

    public async Task<IReadOnlyList<OutboxAttempt>> GetAttemptsAsync(long id, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "SELECT at, outcome, reply, worker, server FROM mailmvc_outbox_attempt WHERE outbox_id = @id ORDER BY id", ("id", id));
        var attempts = new List<OutboxAttempt>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            attempts.Add(new OutboxAttempt(FromUnix(reader.GetInt64(0)), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.IsDBNull(3) ? null : reader.GetString(3))
            {
                Server = reader.IsDBNull(4) ? null : reader.GetString(4),
            });
        }

        return attempts;
    }

    public async Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"UPDATE mailmvc_outbox SET status = 'queued', next_attempt_at = {ClaimClock}, created_at = @now, attempts = 0 WHERE id = @id AND status = 'failed'",
            ("id", id), ("now", Now()));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> CancelAsync(long id, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        // Only a mail no worker holds: one being sent cannot be called back.
        await using var command = Command(connection,
            "UPDATE mailmvc_outbox SET status = 'cancelled', last_reply = 'Cancelled before it was sent.' WHERE id = @id AND status = 'queued'",
            ("id", id));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public Task<IReadOnlyList<OutboxEntry>> ListScheduledAsync(int limit, CancellationToken cancellationToken) =>
        QueryEntriesAsync($"status = 'queued' AND not_before > {ClaimClock} ORDER BY not_before, id LIMIT @limit",
            [("now", Now()), ("limit", limit)], cancellationToken);

    private async Task<IReadOnlyList<OutboxEntry>> QueryEntriesAsync(string where, (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken).ConfigureAwait(false);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            $"SELECT id, message_id, subject, recipients, status, attempts, created_at, next_attempt_at, sent_at, last_reply, not_before FROM mailmvc_outbox WHERE {where}",
            parameters);
        var entries = new List<OutboxEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(new OutboxEntry(
                reader.GetInt64(0), reader.GetString(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3).Replace('\n', ' '), Enum.Parse<OutboxStatus>(reader.GetString(4), ignoreCase: true),
                reader.GetInt32(5), FromUnix(reader.GetInt64(6)), FromUnix(reader.GetInt64(7)),
                reader.IsDBNull(8) ? null : FromUnix(reader.GetInt64(8)), reader.IsDBNull(9) ? null : reader.GetString(9))
            {
                NotBefore = reader.IsDBNull(10) ? null : FromUnix(reader.GetInt64(10)),
            });
        }

        return entries;
    }

    protected static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        AddParameters(command.Parameters, command.CreateParameter, parameters);
        return command;
    }

    /// <summary>Adds the parameters, each named with the <c>@</c> the statements use: Microsoft.Data.Sqlite finds an
    /// unprefixed name by trying each prefix in turn, in every statement of the command, each time it runs (a string
    /// built and converted to UTF-8 per prefix), where a prefixed name is one lookup.</summary>
    private static void AddParameters(DbParameterCollection collection, Func<DbParameter> create, (string Name, object? Value)[] parameters)
    {
        foreach (var (name, value) in parameters)
        {
            var parameter = create();
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            if (value is null)
            {
                parameter.DbType = System.Data.DbType.String;
            }

            collection.Add(parameter);
        }
    }

    private static string IdList(IEnumerable<long> ids) =>
        string.Join(',', ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    private static DateTimeOffset FromUnix(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Records the attempt and the mail's new state together, if this worker still holds the claim.</summary>
    private async Task<bool> FinishAttemptAsync(long id, string worker, string outcome, string? reply, string set, long? next,
        CancellationToken cancellationToken, string? server = null)
    {
        var now = Now();
        (string, object?)[] parameters =
            [("id", id), ("worker", worker), ("now", now), ("reply", reply), ("next", next), ("outcome", outcome), ("server", server)];
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        if (FinishAttemptStatement(set) is not null)
        {
            // One statement does both: no transaction needed.
            return await FinishAttemptAsync(connection, null, set, parameters, cancellationToken).ConfigureAwait(false);
        }

        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var owned = await FinishAttemptAsync(connection, transaction, set, parameters, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return owned;
    }

    /// <summary>Within <paramref name="transaction"/> (none when one statement does it): sets the mail's new state and records the attempt, if this worker
    /// still holds the claim.</summary>
    private async Task<bool> FinishAttemptAsync(DbConnection connection, DbTransaction? transaction, string set,
        (string Name, object? Value)[] parameters, CancellationToken cancellationToken)
    {
        if (FinishAttemptStatement(set) is { } statement)
        {
            await using var single = Command(connection, statement, parameters);
            single.Transaction = transaction;
            return Convert.ToInt64(await single.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture) == 1;
        }

        await using var update = Command(connection, OwnedUpdate(set), parameters);
        update.Transaction = transaction;
        var owned = await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
        if (owned)
        {
            // Only the claim's holder records an attempt.
            await using var attempt = Command(connection, AttemptInsert, parameters);
            attempt.Transaction = transaction;
            await attempt.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        return owned;
    }

    /// <summary>Sets <paramref name="set"/> on a mail only while this worker holds its claim (one row changed when it does).</summary>
    private static string OwnedUpdate(string set) => $"UPDATE mailmvc_outbox SET {set} WHERE id = @id AND locked_by = @worker";

    private const string AttemptInsert =
        "INSERT INTO mailmvc_outbox_attempt (outbox_id, at, outcome, reply, worker, server) VALUES (@id, @now, @outcome, @reply, @worker, @server)";

    /// <summary>Sets the values of a command made by <see cref="Command"/> with the same names, in the same order.</summary>
    protected static void SetValues(DbParameterCollection collection, (string Name, object? Value)[] parameters)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            collection[i].Value = parameters[i].Value ?? DBNull.Value;
        }
    }

    protected static (string Name, object? Value)[] InsertParameters(OutboxItem item, long now) =>
    [
        ("message_id", item.MessageId), ("subject", item.Subject), ("sender", item.Sender), ("recipients", item.Recipients),
        ("esmtp", item.Esmtp), ("now", now), ("mime", item.Mime), ("send_as_stored", item.SendAsStored),
        // 0 for none keeps the parameter a number for PostgreSQL; the statements store NULLIF(@not_before, 0).
        ("not_before", item.NotBefore?.ToUnixTimeMilliseconds() ?? 0L), ("trace_parent", item.TraceParent),
    ];
}
