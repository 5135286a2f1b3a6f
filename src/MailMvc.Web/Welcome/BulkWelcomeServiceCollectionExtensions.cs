using MailMvc.Mail.Outbox;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Welcome;

/// <summary>Registers the bulk welcome lists.</summary>
public static class BulkWelcomeServiceCollectionExtensions
{
    /// <summary>Adds the options (validated at start-up), the store (the outbox's PostgreSQL database when the outbox
    /// uses one, else <see cref="BulkWelcomeOptions.DatabasePath"/>), the importer and the runner.</summary>
    public static IServiceCollection AddBulkWelcome(this IServiceCollection services)
    {
        services.AddOptions<BulkWelcomeOptions>().BindConfiguration(BulkWelcomeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<BulkWelcomeOptions>, BulkWelcomeOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IBulkJobStore>(provider =>
        {
            var time = provider.GetRequiredService<TimeProvider>();
            if (provider.GetService<IOptions<OutboxOptions>>()?.Value is { Enabled: true, Provider: OutboxProvider.PostgreSql, ConnectionString: { Length: > 0 } postgres })
            {
                return new PostgresBulkJobStore(postgres, time);
            }

            var root = provider.GetRequiredService<IHostEnvironment>().ContentRootPath;
            return new SqliteBulkJobStore(Path.Combine(root, provider.GetRequiredService<IOptions<BulkWelcomeOptions>>().Value.DatabasePath), time);
        });
        services.AddSingleton<BulkListImporter>();
        services.AddSingleton<BulkJobRunner>();
        services.AddHostedService(provider => provider.GetRequiredService<BulkJobRunner>());
        return services;
    }
}
