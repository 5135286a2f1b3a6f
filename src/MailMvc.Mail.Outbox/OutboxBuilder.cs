using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailMvc.Mail.Outbox;

/// <summary>Chooses where the outbox lives, in <see cref="OutboxMailBuilderExtensions.AddOutbox"/>. Choosing a store
/// here turns the outbox on; without one, <c>Mail:Outbox</c> in configuration decides.</summary>
public sealed class OutboxBuilder
{
    internal OutboxBuilder(IServiceCollection services) => Services = services;

    /// <summary>The service collection.</summary>
    public IServiceCollection Services { get; }

    /// <summary>Queues mail in a SQLite file (write-ahead log), created when missing.</summary>
    /// <param name="connectionString">A SQLite connection string (<c>Data Source=…</c>); a relative file is under the
    /// content root. Null means <c>App_Data/outbox.db</c> there.</param>
    /// <returns>This builder.</returns>
    public OutboxBuilder UseSqlite(string? connectionString = null) => Configure(options =>
    {
        options.Enabled = true;
        options.Provider = OutboxProvider.Sqlite;
        options.ConnectionString = connectionString;
    });

    /// <summary>Queues mail in PostgreSQL, shared by every app instance that uses the same database.</summary>
    /// <param name="connectionString">An Npgsql connection string (keep its password out of committed files).</param>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty.</exception>
    public OutboxBuilder UsePostgres(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        return Configure(options =>
        {
            options.Enabled = true;
            options.Provider = OutboxProvider.PostgreSql;
            options.ConnectionString = connectionString;
        });
    }

    /// <summary>Queues mail in a store of your own (a singleton created from the container).</summary>
    /// <returns>This builder.</returns>
    public OutboxBuilder UseStore<TStore>()
        where TStore : class, IOutboxStore
    {
        Services.Replace(ServiceDescriptor.Singleton<IOutboxStore, TStore>());
        return Configure(options =>
        {
            options.Enabled = true;
            options.Provider = OutboxProvider.Custom;
        });
    }

    /// <summary>Queues mail in the store <paramref name="factory"/> makes (once), for example a wrapper around a built-in
    /// store from <see cref="OutboxStores"/>.</summary>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public OutboxBuilder UseStore(Func<IServiceProvider, IOutboxStore> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return Configure(options =>
        {
            options.Enabled = true;
            options.Provider = OutboxProvider.Custom;
        });
    }

    /// <summary>Changes the outbox's settings in code, after configuration.</summary>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="configure"/> is null.</exception>
    public OutboxBuilder Configure(Action<OutboxOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(configure);
        Services.Configure(configure);
        return this;
    }
}
