using System.Data.Common;
using MailMvc.Mail.Suppression;

namespace MailMvc.Mail.Outbox;

/// <summary>
/// The suppression list in a SQL table, <c>mailmvc_suppression</c>, with the statements SQLite and PostgreSQL both run:
/// in the outbox's database (its schema version 3 creates the table) or in a SQLite file of its own. Times are stored
/// as Unix milliseconds; addresses in lower case, so the primary key finds any spelling.
/// </summary>
internal abstract class SqlSuppressionList : ISuppressionList
{
    /// <summary>The table, created only where missing (the outbox's migration 3 and the file of its own run it).</summary>
    internal const string Schema =
        """
        CREATE TABLE IF NOT EXISTS mailmvc_suppression (
            address text PRIMARY KEY,
            reason text NOT NULL,
            since bigint NOT NULL,
            detail text);
        CREATE INDEX IF NOT EXISTS ix_mailmvc_suppression_since ON mailmvc_suppression (since);
        """;

    private readonly Func<CancellationToken, Task> _ensureSchema;

    /// <param name="ensureSchema">Makes sure the table exists (the outbox store's migrations, or the file's own DDL);
    /// called before every use, so it must be cheap once done.</param>
    protected SqlSuppressionList(Func<CancellationToken, Task> ensureSchema) => _ensureSchema = ensureSchema;

    /// <summary>Where the list lives, for pages and logs.</summary>
    public abstract string Description { get; }

    /// <summary>Opens a connection, ready for statements.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    public async Task<IReadOnlyList<SuppressedAddress>> FindAsync(IReadOnlyCollection<string> addresses, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var keys = addresses.Where(a => !string.IsNullOrWhiteSpace(a)).Select(SuppressedAddress.Normalize).Distinct().ToList();
        if (keys.Count == 0)
        {
            return [];
        }

        await _ensureSchema(cancellationToken).ConfigureAwait(false);
        return await FindKeysAsync(keys, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Looks up addresses already normalized (<see cref="SuppressedAddress.Normalize"/>), once the table exists:
    /// on a connection of its own, in one statement.</summary>
    protected virtual async Task<IReadOnlyList<SuppressedAddress>> FindKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var names = keys.Select((_, i) => $"@a{i}").ToList();
        await using var command = Command(connection,
            $"{SelectEntries} WHERE address IN ({string.Join(", ", names)})",
            keys.Select((key, i) => ($"a{i}", (object?)key)).ToArray());
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The columns <see cref="ReadEntry"/> reads, from the table, without a condition.</summary>
    protected const string SelectEntries = "SELECT address, reason, since, detail FROM mailmvc_suppression";

    public async Task<bool> AddAsync(SuppressedAddress entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        await using var connection = await OpenReadyAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection,
            "INSERT INTO mailmvc_suppression (address, reason, since, detail) VALUES (@address, @reason, @since, @detail) ON CONFLICT (address) DO NOTHING",
            ("address", entry.Address), ("reason", entry.Reason.ToString().ToLowerInvariant()),
            ("since", entry.Since.ToUnixTimeMilliseconds()), ("detail", entry.Detail));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) == 1;
    }

    public async Task<bool> RemoveAsync(string address, CancellationToken cancellationToken = default)
    {
        var key = SuppressedAddress.Normalize(address);
        await using var connection = await OpenReadyAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Command(connection, "DELETE FROM mailmvc_suppression WHERE address = @address", ("address", key));
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    public async Task<IReadOnlyList<SuppressedAddress>> ListAsync(string? search, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        await using var connection = await OpenReadyAsync(cancellationToken).ConfigureAwait(false);
        var filter = string.IsNullOrWhiteSpace(search) ? "" : "WHERE address LIKE @pattern ESCAPE '\\'";
        // Addresses are stored in lower case: a lower-case pattern matches in either database.
        var pattern = "%" + (search ?? "").Trim().ToLowerInvariant().Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal) + "%";
        await using var command = Command(connection,
            $"{SelectEntries} {filter} ORDER BY since DESC, address LIMIT @limit",
            ("pattern", pattern), ("limit", limit));
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    private async Task<DbConnection> OpenReadyAsync(CancellationToken cancellationToken)
    {
        await _ensureSchema(cancellationToken).ConfigureAwait(false);
        return await OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads the entries a lookup's command finds.</summary>
    protected static async Task<IReadOnlyList<SuppressedAddress>> ReadAsync(DbCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<SuppressedAddress>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            entries.Add(ReadEntry(reader));
        }

        return entries;
    }

    /// <summary>The entry at the reader's row of <see cref="SelectEntries"/>.</summary>
    protected static SuppressedAddress ReadEntry(DbDataReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        return new SuppressedAddress(
            reader.GetString(0),
            Enum.TryParse<SuppressionReason>(reader.GetString(1), ignoreCase: true, out var reason) ? reason : SuppressionReason.Manual,
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)),
            reader.IsDBNull(3) ? null : reader.GetString(3));
    }

    protected static DbCommand Command(DbConnection connection, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            // Prefixed as in the statements: one lookup each time the command runs (see SqlOutboxStore.AddParameters).
            parameter.ParameterName = "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
