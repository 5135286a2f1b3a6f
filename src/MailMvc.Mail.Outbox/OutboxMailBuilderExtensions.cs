using MailMvc.Mail.Transport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail.Outbox;

/// <summary>Adds the durable outbox to the mailer: <c>services.AddMail(config).AddOutbox(o => o.UseSqlite())</c>.</summary>
public static class OutboxMailBuilderExtensions
{
    /// <summary>
    /// Adds the outbox around the transport registered so far: while it is on (<see cref="OutboxOptions.Enabled"/>,
    /// from <c>Mail:Outbox</c> or a store chosen in <paramref name="configure"/>), a send stores the mail and returns
    /// a receipt that says <see cref="MailDisposition.Queued"/>, and a background worker in every app instance
    /// delivers it through the wrapped transport, with retries. Also registers <see cref="IMailOutbox"/> for pages and
    /// health checks. Add it after any other transport wrapper.
    /// </summary>
    /// <param name="mail">The mail builder from <c>AddMail</c>.</param>
    /// <param name="configure">Chooses the store and changes settings in code.</param>
    /// <returns><paramref name="mail"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mail"/> is null.</exception>
    public static MailBuilder AddOutbox(this MailBuilder mail, Action<OutboxBuilder>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(mail);
        var services = mail.Services;
        services.AddOptions<OutboxOptions>()
            .Bind(mail.Configuration.GetSection(OutboxOptions.SectionName))
            .PostConfigure<IServiceProvider>((options, provider) => ApplyEnvironmentDefaults(options, provider.GetService<IHostEnvironment>()))
            .ValidateOnStart();
        configure?.Invoke(new OutboxBuilder(services));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>());
        services.TryAddSingleton<IOutboxStore>(provider => CreateStore(provider.GetRequiredService<IOptions<OutboxOptions>>().Value,
            provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<OutboxRuntime>();
        services.TryAddSingleton<IMailOutbox, MailOutbox>();
        // The budgets are counted where the mail waits: in the outbox's database, shared by every instance.
        services.Replace(ServiceDescriptor.Singleton<ISendBudgetStore>(provider =>
            new OutboxSendBudgetStore(provider.GetRequiredService<OutboxRuntime>(), provider.GetRequiredService<TimeProvider>())));
        services.AddHostedService<OutboxDeliveryService>();
        return mail.WrapTransport((provider, inner) => provider.GetRequiredService<OutboxRuntime>().Wrap(inner));
    }

    /// <summary>The SQLite file under the content root when no other is configured.</summary>
    internal static void ApplyEnvironmentDefaults(OutboxOptions options, IHostEnvironment? environment)
    {
        if (options.Provider != OutboxProvider.Sqlite)
        {
            return;
        }

        var root = environment?.ContentRootPath ?? Directory.GetCurrentDirectory();
        var sqlite = new SqliteConnectionStringBuilder(options.ConnectionString ?? "");
        sqlite.DataSource = Path.GetFullPath(Path.Combine(root, string.IsNullOrEmpty(sqlite.DataSource) ? Path.Combine("App_Data", "outbox.db") : sqlite.DataSource));
        options.ConnectionString = sqlite.ToString();
    }

    private static IOutboxStore CreateStore(OutboxOptions options, TimeProvider time) => options.Provider switch
    {
        OutboxProvider.PostgreSql => OutboxStores.Postgres(options.ConnectionString!, time),
        OutboxProvider.Sqlite => OutboxStores.Sqlite(options.ConnectionString!, time),
        _ => throw new InvalidOperationException(
            "Mail:Outbox:Provider is Custom but no store is registered: call AddOutbox(o => o.UseStore<YourStore>())."),
    };
}
