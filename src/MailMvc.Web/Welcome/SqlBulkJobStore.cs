using System.Data.Common;
using System.Globalization;
using System.Runtime.CompilerServices;

namespace MailMvc.Web.Welcome;

/// <summary>The bulk store in a SQL database with ADO.NET: the statements SQLite and PostgreSQL both run; subclasses
/// supply the connection, the schema and the migration lock. Times are Unix milliseconds; outcomes and states are
/// stored as their names in lower case.</summary>
public abstract class SqlBulkJobStore : IBulkJobStore
{
    private const string JobColumns = "id, owner, file_name, content_hash, state, total, created_at, started_at, finished_at, error, send_at, send_at_zone";
    private const string RowColumns = "line, name, email, outcome, detail, locale";
    private const int RowsPerInsert = 100;

    /// <summary>The start of the statement that adds rows, up to its <c>VALUES</c>.</summary>
    protected const string InsertRow = "INSERT INTO mailmvc_bulk_row (job_id, line, name, email, email_key, outcome, detail, locale, updated_at) VALUES";

    private static readonly string s_open = $"'{Name(BulkRowOutcome.Waiting)}', '{Name(BulkRowOutcome.Sending)}'";
    private static readonly string s_delivered = $"'{Name(BulkRowOutcome.Sent)}', '{Name(BulkRowOutcome.Queued)}'";

    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _schemaLock = new(1, 1);
    private volatile bool _schemaReady;

    protected SqlBulkJobStore(TimeProvider time) => _time = time ?? throw new ArgumentNullException(nameof(time));

    public abstract string Description { get; }

    /// <summary>The schema's steps, in order.</summary>
    protected abstract IReadOnlyList<BulkSchemaMigration> Migrations { get; }

    /// <summary>Run after a list's rows are added, before the queries that read them all: PostgreSQL refreshes its
    /// statistics, or its planner, still believing the table empty, reads a long list once per row.</summary>
    protected virtual string? AfterImportStatement => null;

    /// <summary>Opens a connection, ready for statements.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>Opens the migrations' transaction, holding a lock other instances wait for.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    /// <summary>The newest schema version this code knows.</summary>
    public int LatestSchemaVersion => Migrations[^1].Version;

    public async Task EnsureSchemaAsync(CancellationToken cancellationToken)
    {
        if (_schemaReady)
        {
            return;
        }

        await _schemaLock.WaitAsync(cancellationToken);
        try
        {
            if (!_schemaReady)
            {
                await MigrateAsync(cancellationToken);
                _schemaReady = true;
            }
        }
        finally
        {
            _schemaLock.Release();
        }
    }

    private async Task MigrateAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginMigrationAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction,
            "CREATE TABLE IF NOT EXISTS mailmvc_bulk_schema (version integer PRIMARY KEY, description text NOT NULL, applied_at bigint NOT NULL)",
            cancellationToken);
        await using (var read = Command(connection, "SELECT COALESCE(MAX(version), 0) FROM mailmvc_bulk_schema"))
        {
            read.Transaction = transaction;
            var current = Convert.ToInt32(await read.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
            if (current > LatestSchemaVersion)
            {
                throw new InvalidOperationException(
                    $"The bulk list database is at schema version {current}, newer than this app knows ({LatestSchemaVersion}): " +
                    "a newer version of the app upgraded it. Run that version, or give this one another database.");
            }

            foreach (var migration in Migrations.Where(m => m.Version > current))
            {
                await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO mailmvc_bulk_schema (version, description, applied_at) VALUES (@version, @description, @now)", cancellationToken,
                    ("version", migration.Version), ("description", migration.Description), ("now", Now()));
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task CreateJobAsync(BulkJob job, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(job);
        await using var connection = await ConnectAsync(cancellationToken);
        await ExecuteAsync(connection, null,
            $"INSERT INTO mailmvc_bulk_job ({JobColumns}) VALUES (@id, @owner, @file_name, @content_hash, @state, @total, @created_at, NULL, NULL, NULL, NULLIF(@send_at, 0), @send_at_zone)",
            cancellationToken, ("id", job.Id), ("owner", job.Owner), ("file_name", job.FileName), ("content_hash", job.ContentHash),
            ("state", Name(job.State)), ("total", job.Total), ("created_at", job.CreatedAt.ToUnixTimeMilliseconds()),
            // 0 for none keeps the parameter a number for PostgreSQL.
            ("send_at", job.SendAt?.ToUnixTimeMilliseconds() ?? 0L), ("send_at_zone", job.SendAtZone));
    }

    public async Task AddRowsAsync(string jobId, IReadOnlyList<BulkRow> rows, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0)
        {
            return;
        }

        await using var connection = await ConnectAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await InsertRowsAsync(connection, transaction, jobId, rows, Now(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Inserts rows in the transaction: here <see cref="RowsPerInsert"/> rows a statement, one round trip each.</summary>
    protected virtual async Task InsertRowsAsync(DbConnection connection, DbTransaction transaction, string jobId, IReadOnlyList<BulkRow> rows, long now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(rows);
        for (var start = 0; start < rows.Count; start += RowsPerInsert)
        {
            var count = Math.Min(RowsPerInsert, rows.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            var values = new List<string>(count);
            for (var i = 0; i < count; i++)
            {
                var row = rows[start + i];
                values.Add($"(@job, @l{i}, @n{i}, @e{i}, @k{i}, @o{i}, @d{i}, @c{i}, @now)");
                Add(command, $"l{i}", row.Line);
                Add(command, $"n{i}", row.Name);
                Add(command, $"e{i}", row.Email);
                Add(command, $"k{i}", row.EmailKey);
                Add(command, $"o{i}", Name(row.Outcome));
                Add(command, $"d{i}", row.Detail);
                Add(command, $"c{i}", row.Locale);
            }

            Add(command, "job", jobId);
            Add(command, "now", now);
            command.CommandText = $"{InsertRow} {string.Join(", ", values)}";
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task CompleteImportAsync(string jobId, int total, string contentHash, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (AfterImportStatement is { } refresh)
        {
            await ExecuteAsync(connection, transaction, refresh, cancellationToken);
        }

        // The first row with an address is sent; each later one says where the address was first given. Set-based, so a
        // long list costs one pass, not a look-up per row.
        await ExecuteAsync(connection, transaction,
            $"""
            UPDATE mailmvc_bulk_row SET outcome = '{Name(BulkRowOutcome.Invalid)}',
                detail = 'This address is already on line ' || CAST(d.first_line AS text) || ' of the list.'
            FROM (SELECT email_key, MIN(line) AS first_line FROM mailmvc_bulk_row
                  WHERE job_id = @job AND outcome = '{Name(BulkRowOutcome.Waiting)}' GROUP BY email_key HAVING COUNT(*) > 1) d
            WHERE mailmvc_bulk_row.job_id = @job AND mailmvc_bulk_row.outcome = '{Name(BulkRowOutcome.Waiting)}'
              AND mailmvc_bulk_row.email_key = d.email_key AND mailmvc_bulk_row.line > d.first_line
            """, cancellationToken, ("job", jobId));
        await ExecuteAsync(connection, transaction,
            "UPDATE mailmvc_bulk_job SET total = @total, content_hash = @hash, state = @state WHERE id = @job", cancellationToken,
            ("job", jobId), ("total", total), ("hash", contentHash), ("state", Name(BulkJobState.Checked)));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<BulkJob?> GetJobAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {JobColumns} FROM mailmvc_bulk_job WHERE id = @id", ("id", jobId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new BulkJob(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
            Enum.Parse<BulkJobState>(reader.GetString(4), ignoreCase: true), Convert.ToInt32(reader.GetValue(5), CultureInfo.InvariantCulture),
            FromUnix(reader.GetInt64(6)), reader.IsDBNull(7) ? null : FromUnix(reader.GetInt64(7)),
            reader.IsDBNull(8) ? null : FromUnix(reader.GetInt64(8)), reader.IsDBNull(9) ? null : reader.GetString(9))
        {
            SendAt = reader.IsDBNull(10) ? null : FromUnix(reader.GetInt64(10)),
            SendAtZone = reader.IsDBNull(11) ? null : reader.GetString(11),
        };
    }

    public async Task DeleteJobAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM mailmvc_bulk_row WHERE job_id = @id", cancellationToken, ("id", jobId));
        await ExecuteAsync(connection, transaction, "DELETE FROM mailmvc_bulk_job WHERE id = @id", cancellationToken, ("id", jobId));
        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<BulkJobCounts> CountAsync(string jobId, DateTimeOffset recentSince, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = Command(connection,
            $"""
            SELECT outcome, COUNT(*), SUM(CASE WHEN updated_at >= @since AND outcome IN ({s_delivered}, '{Name(BulkRowOutcome.Refused)}', '{Name(BulkRowOutcome.Failed)}') THEN 1 ELSE 0 END)
            FROM mailmvc_bulk_row WHERE job_id = @job GROUP BY outcome
            """,
            ("job", jobId), ("since", recentSince.ToUnixTimeMilliseconds()));
        var counts = new Dictionary<BulkRowOutcome, int>();
        var recent = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            counts[Enum.Parse<BulkRowOutcome>(reader.GetString(0), ignoreCase: true)] = Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture);
            recent += Convert.ToInt32(reader.GetValue(2), CultureInfo.InvariantCulture);
        }

        return new BulkJobCounts(counts, recent);
    }

    private static string SentEarlier =>
        $"""
        mailmvc_bulk_row.job_id = @job AND mailmvc_bulk_row.outcome = '{Name(BulkRowOutcome.Waiting)}' AND mailmvc_bulk_row.email_key IN (
            SELECT e.email_key FROM mailmvc_bulk_row e JOIN mailmvc_bulk_job j ON j.id = e.job_id
            WHERE j.content_hash = (SELECT content_hash FROM mailmvc_bulk_job WHERE id = @job) AND j.id <> @job AND e.outcome IN ({s_delivered}))
        """;

    public async Task<int> CountSentEarlierAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT COUNT(*) FROM mailmvc_bulk_row WHERE {SentEarlier}", ("job", jobId));
        return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }

    public async Task<int> SkipSentEarlierAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        return await ExecuteAsync(connection, null,
            $"UPDATE mailmvc_bulk_row SET outcome = '{Name(BulkRowOutcome.Skipped)}', detail = 'An earlier upload of this list already sent it.', updated_at = @now WHERE {SentEarlier}",
            cancellationToken, ("job", jobId), ("now", Now()));
    }

    public async Task<bool> ChangeStateAsync(string jobId, IReadOnlyCollection<BulkJobState> from, BulkJobState to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(from);
        var now = Now();
        var ends = to is BulkJobState.Cancelled or BulkJobState.Finished;
        await using var connection = await ConnectAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var changed = await ExecuteAsync(connection, transaction,
            $"""
            UPDATE mailmvc_bulk_job SET state = @to,
                started_at = CASE WHEN @to = '{Name(BulkJobState.Running)}' THEN COALESCE(started_at, @now) ELSE started_at END,
                finished_at = CASE WHEN @ends = 1 THEN @now ELSE finished_at END
            WHERE id = @id AND state IN ({string.Join(", ", from.Select(s => $"'{Name(s)}'"))})
            """, cancellationToken, ("id", jobId), ("to", Name(to)), ("now", now), ("ends", ends ? 1 : 0));
        if (changed == 1 && to == BulkJobState.Cancelled)
        {
            await ExecuteAsync(connection, transaction,
                $"UPDATE mailmvc_bulk_row SET outcome = '{Name(BulkRowOutcome.Cancelled)}', detail = 'The list was cancelled before this row was sent.', updated_at = @now WHERE job_id = @id AND outcome = '{Name(BulkRowOutcome.Waiting)}'",
                cancellationToken, ("id", jobId), ("now", now));
        }

        await transaction.CommitAsync(cancellationToken);
        return changed == 1;
    }

    public async Task SetErrorAsync(string jobId, string error, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE mailmvc_bulk_job SET error = @error WHERE id = @id AND error IS NULL", cancellationToken,
            ("id", jobId), ("error", error));
    }

    public async Task<IReadOnlyList<BulkRowResult>> ListRowsAsync(string jobId, IReadOnlyCollection<BulkRowOutcome> outcomes, int offset, int limit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Count == 0)
        {
            return [];
        }

        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT {RowColumns} FROM mailmvc_bulk_row WHERE job_id = @job AND outcome IN ({string.Join(", ", outcomes.Select(o => $"'{Name(o)}'"))}) ORDER BY line LIMIT @limit OFFSET @offset",
            ("job", jobId), ("limit", limit), ("offset", offset));
        return await ReadListAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<BulkRowResult>> ListWaitingRowsAsync(string jobId, int afterLine, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = Command(connection,
            $"SELECT {RowColumns} FROM mailmvc_bulk_row WHERE job_id = @job AND outcome = '{Name(BulkRowOutcome.Waiting)}' AND line > @after ORDER BY line LIMIT @limit",
            ("job", jobId), ("after", afterLine), ("limit", limit));
        return await ReadListAsync(command, cancellationToken);
    }

    private static async Task<IReadOnlyList<BulkRowResult>> ReadListAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var rows = new List<BulkRowResult>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadRow(reader));
        }

        return rows;
    }

    public async IAsyncEnumerable<BulkRowResult> ReadRowsAsync(string jobId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await using var command = Command(connection, $"SELECT {RowColumns} FROM mailmvc_bulk_row WHERE job_id = @job ORDER BY line", ("job", jobId));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            yield return ReadRow(reader);
        }
    }

    public async Task<IReadOnlyList<string>> ClaimRunningJobsAsync(string worker, TimeSpan claimDuration, bool idle, CancellationToken cancellationToken)
    {
        var now = Now();
        var until = now + (long)claimDuration.TotalMilliseconds;
        await using var connection = await ConnectAsync(cancellationToken);
        var taken = new List<string>();
        // One statement: of two workers reaching for the same expired claim, only one matches.
        await using (var take = Command(connection,
            $"""
            UPDATE mailmvc_bulk_job SET claimed_by = @worker, claimed_until = @until
            WHERE state = '{Name(BulkJobState.Running)}' AND (claimed_by IS NULL OR claimed_by <> @worker) AND (claimed_until IS NULL OR claimed_until < @now)
            RETURNING id
            """, ("worker", worker), ("until", until), ("now", now)))
        {
            await using var reader = await take.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                taken.Add(reader.GetString(0));
            }
        }

        var held = new List<string>();
        await using var renew = Command(connection,
            $"UPDATE mailmvc_bulk_job SET claimed_until = @until WHERE state = '{Name(BulkJobState.Running)}' AND claimed_by = @worker RETURNING id",
            ("worker", worker), ("until", until));
        await using (var reader = await renew.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                held.Add(reader.GetString(0));
            }
        }

        foreach (var id in idle ? held : taken)
        {
            // The worker that held it is gone (or, when idle, had nothing in flight): what it handed to a connection may
            // or may not have been sent. It is sent again, with the same Message-ID.
            await ExecuteAsync(connection, null,
                $"UPDATE mailmvc_bulk_row SET outcome = '{Name(BulkRowOutcome.Waiting)}' WHERE job_id = @job AND outcome = '{Name(BulkRowOutcome.Sending)}'",
                cancellationToken, ("job", id));
        }

        return held;
    }

    public async Task ReleaseClaimsAsync(string worker, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        await ExecuteAsync(connection, null, "UPDATE mailmvc_bulk_job SET claimed_until = 0 WHERE claimed_by = @worker", cancellationToken, ("worker", worker));
    }

    public async Task<IReadOnlyList<int>> MarkSendingAsync(string jobId, IReadOnlyList<int> lines, IReadOnlyList<BulkRowCompletion> completed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(completed);
        var now = Now();
        await using var connection = await ConnectAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        if (completed.Count > 0)
        {
            await CompleteAsync(connection, transaction, completed, now, cancellationToken);
        }

        var marked = new List<int>(lines.Count);
        if (lines.Count > 0)
        {
            await using var command = Command(connection,
                $"""
                UPDATE mailmvc_bulk_row SET outcome = '{Name(BulkRowOutcome.Sending)}', updated_at = @now
                WHERE job_id = @job AND outcome = '{Name(BulkRowOutcome.Waiting)}' AND line {LinesIn(lines.Count)}
                  AND EXISTS (SELECT 1 FROM mailmvc_bulk_job WHERE id = @job AND state = '{Name(BulkJobState.Running)}')
                RETURNING line
                """, ("job", jobId), ("now", now));
            command.Transaction = transaction;
            AddLines(command, lines);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                marked.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        marked.Sort();
        return marked;
    }

    public async Task CompleteRowsAsync(IReadOnlyList<BulkRowCompletion> completed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completed);
        if (completed.Count == 0)
        {
            return;
        }

        await using var connection = await ConnectAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await CompleteAsync(connection, transaction, completed, Now(), cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The condition on <c>line</c> that matches <paramref name="count"/> lines bound by <see cref="AddLines"/>:
    /// here <c>IN (@l0, @l1, …)</c>.</summary>
    protected virtual string LinesIn(int count) => $"IN ({string.Join(", ", Enumerable.Range(0, count).Select(i => $"@l{i}"))})";

    /// <summary>Binds the lines <see cref="LinesIn"/> matches.</summary>
    protected virtual void AddLines(DbCommand command, IReadOnlyList<int> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        for (var i = 0; i < lines.Count; i++)
        {
            Add(command, $"l{i}", lines[i]);
        }
    }

    /// <summary>Records rows' results (at least one) in the transaction: here one statement run once per row, which costs
    /// SQLite no round trips.</summary>
    protected virtual async Task CompleteAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<BulkRowCompletion> completed, long now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(completed);
        await using var command = Command(connection,
            "UPDATE mailmvc_bulk_row SET outcome = @outcome, detail = @detail, updated_at = @now WHERE job_id = @job AND line = @line", ("now", now));
        command.Transaction = transaction;
        var job = Add(command, "job", "");
        var line = Add(command, "line", 0);
        var outcome = Add(command, "outcome", "");
        var detail = Add(command, "detail", null);
        foreach (var row in completed)
        {
            job.Value = row.JobId;
            line.Value = row.Line;
            outcome.Value = Name(row.Outcome);
            detail.Value = (object?)row.Detail ?? DBNull.Value;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task<bool> FinishIfDoneAsync(string jobId, CancellationToken cancellationToken)
    {
        await using var connection = await ConnectAsync(cancellationToken);
        return await ExecuteAsync(connection, null,
            $"""
            UPDATE mailmvc_bulk_job SET state = '{Name(BulkJobState.Finished)}', finished_at = @now
            WHERE id = @job AND state = '{Name(BulkJobState.Running)}'
              AND NOT EXISTS (SELECT 1 FROM mailmvc_bulk_row WHERE job_id = @job AND outcome IN ({s_open}))
            """, cancellationToken, ("job", jobId), ("now", Now())) == 1;
    }

    public async Task<int> DeleteOldJobsAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        const string Old =
            """
            SELECT id FROM mailmvc_bulk_job WHERE (state IN ('finished', 'cancelled') AND finished_at < @before)
                OR (state IN ('checked', 'importing') AND created_at < @before)
            """;
        await using var connection = await ConnectAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var cutoff = ("before", (object?)before.ToUnixTimeMilliseconds());
        await ExecuteAsync(connection, transaction, $"DELETE FROM mailmvc_bulk_row WHERE job_id IN ({Old})", cancellationToken, cutoff);
        var jobs = await ExecuteAsync(connection, transaction, $"DELETE FROM mailmvc_bulk_job WHERE id IN ({Old})", cancellationToken, cutoff);
        await transaction.CommitAsync(cancellationToken);
        return jobs;
    }

    /// <summary>The name an outcome or state is stored as.</summary>
    protected static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();

    private static BulkRowResult ReadRow(DbDataReader reader) => new(
        Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture), reader.GetString(1), reader.GetString(2),
        Enum.Parse<BulkRowOutcome>(reader.GetString(3), ignoreCase: true), reader.IsDBNull(4) ? "" : reader.GetString(4),
        reader.IsDBNull(5) ? null : reader.GetString(5));

    private async Task<DbConnection> ConnectAsync(CancellationToken cancellationToken)
    {
        await EnsureSchemaAsync(cancellationToken);
        return await OpenAsync(cancellationToken);
    }

    private long Now() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    private static DateTimeOffset FromUnix(long milliseconds) => DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);

    private static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            Add(command, name, value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellationToken,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, sql, parameters);
        command.Transaction = transaction;
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbParameter Add(DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        // Prefixed as in the statements: Microsoft.Data.Sqlite finds an unprefixed name by trying each prefix in turn,
        // each time the command runs.
        parameter.ParameterName = "@" + name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
