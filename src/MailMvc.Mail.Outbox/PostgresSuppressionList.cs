using System.Data.Common;
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
        // An unsubscribe is committed durably before the person is told it worked.
        _dataSource = NpgsqlDataSource.Create(connectionString);
    }

    public override string Description => "PostgreSQL (the outbox's database)";

    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    public void Dispose() => _dataSource.Dispose();

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();
}
