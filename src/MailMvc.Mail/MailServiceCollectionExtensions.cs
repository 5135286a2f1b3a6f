using MailMvc.Mail.Configuration;
using MailMvc.Mail.Outbox;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail;

/// <summary>Registers MailMvc's mailer, Flask-Mail's <c>Mail(app)</c>.</summary>
public static class MailServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IMailer"/> with <see cref="MailOptions"/> bound from <paramref name="section"/>, then from
    /// Flask-Mail's <c>MAIL_*</c> environment variables, and validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">Usually <c>configuration.GetSection("Mail")</c>.</param>
    /// <param name="configure">Optional changes applied in code after configuration (tests use it).</param>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="section"/> is null.</exception>
    public static IServiceCollection AddMail(this IServiceCollection services, IConfiguration section, Action<MailOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        var flask = new ConfigurationBuilder()
            .AddInMemoryCollection(FlaskMailEnvironment.Read(Environment.GetEnvironmentVariables()))
            .Build();

        services.AddOptions<MailOptions>()
            .Bind(section)
            .Bind(flask)
            .Configure(options => configure?.Invoke(options))
            .PostConfigure<IServiceProvider>((options, provider) => ApplyEnvironmentDefaults(options, provider.GetService<IHostEnvironment>()))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MailOptions>, MailOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<OutboxRuntime>();
        services.TryAddSingleton<IMailer>(provider => new Mailer(
            provider.GetRequiredService<IOptions<MailOptions>>().Value,
            provider.GetService<ILoggerFactory>(),
            provider.GetRequiredService<OutboxRuntime>()));
        services.TryAddSingleton<IMailOutbox>(provider => new MailOutbox(provider.GetRequiredService<OutboxRuntime>()));
        services.AddHostedService<OutboxDeliveryService>();
        return services;
    }

    /// <summary>Flask-Mail's defaults that depend on the app: Debug in Development, SuppressSend when testing,
    /// and, beyond Flask-Mail, the pickup directory in Development when no server is configured, and the
    /// outbox's SQLite file under the content root.</summary>
    internal static void ApplyEnvironmentDefaults(MailOptions options, IHostEnvironment? environment)
    {
        options.Debug ??= environment?.IsDevelopment() ?? false;
        options.SuppressSend ??= environment?.IsEnvironment("Testing") ?? false;
        if (options.DeliveryMethod is null && environment?.IsDevelopment() == true && string.IsNullOrWhiteSpace(options.Server))
        {
            options.DeliveryMethod = MailDeliveryMethod.PickupDirectory;
        }

        options.DeliveryMethod ??= MailDeliveryMethod.Smtp;
        var root = environment?.ContentRootPath ?? Directory.GetCurrentDirectory();
        options.PickupDirectory = Path.GetFullPath(Path.Combine(root, options.PickupDirectory ?? Path.Combine("App_Data", "mail-pickup")));
        if (options.Outbox.Provider == OutboxProvider.Sqlite)
        {
            var sqlite = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.Outbox.ConnectionString ?? "");
            sqlite.DataSource = Path.GetFullPath(Path.Combine(root, string.IsNullOrEmpty(sqlite.DataSource) ? Path.Combine("App_Data", "outbox.db") : sqlite.DataSource));
            options.Outbox.ConnectionString = sqlite.ToString();
        }
    }
}
