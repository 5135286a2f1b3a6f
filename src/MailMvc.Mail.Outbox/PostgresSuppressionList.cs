using System.Data.Common;
using MailMvc.Mail.Suppression;
using MailMvc.Mail.Transport;
using Npgsql;

namespace MailMvc.Mail.Outbox;

/// <summary>The suppression list in the outbox's PostgreSQL database, shared by every app instance that uses it: an
/// address suppressed through one is skipped by all.</summary>
internal sealed class PostgresSuppressionList : SqlSuppressionList, IDisposable, IAsyncDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    /// <param name="connectionString">The outbox's Npgsql connection string.</param>
    /// <param name="ensureSchema">The outbox store's migrations, whose version 3 makes the table.</param>
    public PostgresSuppressionList(string connectionString, Func<CancellationToken, Task> ensureSchema) : base(ensureSchema)
    {
        // An unsubscribe is committed durably before the person is told it worked. Statements are prepared as the
        // outbox's are (Npgsql's automatic preparation), unless the connection string says otherwise.
        _dataSource = NpgsqlDataSource.Create(PostgresOutboxStore.Prepared(connectionString));
    }

    // The addresses as one array, so the statement's text is the same for any number of them and Npgsql prepares it
    // once a connection, as it does the outbox's statements (measured alone, within the noise: what made queueing with
    // the list cost 2.2 times the CPU was a lookup a mail, which bulk sends now make for several mails at once).
    protected override Task<IReadOnlyList<SuppressedAddress>> FindKeysAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return SendThread.IsCurrent ? Task.FromResult(FindKeys(keys, cancellationToken)) : FindKeysOnThePoolAsync(keys, cancellationToken);
    }

    private async Task<IReadOnlyList<SuppressedAddress>> FindKeysOnThePoolAsync(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var command = Lookup(connection, keys);
        return await ReadAsync(command, cancellationToken).ConfigureAwait(false);
    }

    // On a bulk send's thread (a list's mails checked before they are sent or queued, an outbox worker's run), which
    // blocks nobody else, the lookup blocks too: awaited, each of its round trips was handed to the thread pool and back,
    // and the hand-offs (context switches, spinning pool threads) cost more than the lookup.
    private IReadOnlyList<SuppressedAddress> FindKeys(IReadOnlyList<string> keys, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var connection = _dataSource.OpenConnection();
        using var command = Lookup(connection, keys);
        using var reader = command.ExecuteReader();
        var found = new List<SuppressedAddress>();
        while (reader.Read())
        {
            found.Add(ReadEntry(reader));
        }

        return found;
    }

    private static DbCommand Lookup(DbConnection connection, IReadOnlyList<string> keys) =>
        Command(connection, $"{SelectEntries} WHERE address = ANY(@addresses)", ("addresses", keys.ToArray()));

    public override string Description => "PostgreSQL (the outbox's database)";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
