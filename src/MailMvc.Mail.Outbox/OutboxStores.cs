namespace MailMvc.Mail.Outbox;

/// <summary>The stores MailMvc ships, for a store of your own that wraps one (logging, metrics) and is registered with
/// <see cref="OutboxBuilder.UseStore(Func{IServiceProvider, IOutboxStore})"/>.</summary>
public static class OutboxStores
{
    /// <summary>The outbox in a SQLite file (write-ahead log), created on first use.</summary>
    /// <param name="connectionString">A SQLite connection string with an absolute <c>Data Source</c>.</param>
    /// <param name="time">The clock for claims and retries; null means the system clock.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    public static IOutboxStore Sqlite(string connectionString, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new SqliteOutboxStore(connectionString, time ?? TimeProvider.System);
    }

    /// <summary>The outbox in PostgreSQL, shared by every app instance that uses the database. Dispose it when done.</summary>
    /// <param name="connectionString">An Npgsql connection string.</param>
    /// <param name="time">The clock for the app's side of retries; claims use the database's clock.</param>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    public static IOutboxStore Postgres(string connectionString, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return new PostgresOutboxStore(connectionString, time ?? TimeProvider.System);
    }
}
