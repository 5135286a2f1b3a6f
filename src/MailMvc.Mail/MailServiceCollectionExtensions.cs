using MailMvc.Mail.Configuration;
using MailMvc.Mail.Interception;
using MailMvc.Mail.Suppression;
using MailMvc.Mail.Transport;
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
    /// Flask-Mail's <c>MAIL_*</c> environment variables, and validated at start-up. Mail goes through the transport
    /// <see cref="MailOptions.DeliveryMethod"/> names unless the returned builder picks another.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">Usually <c>configuration.GetSection("Mail")</c>.</param>
    /// <param name="configure">Optional changes applied in code after configuration (tests use it).</param>
    /// <returns>A builder that picks the transport, wraps it, and adds interceptors.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="section"/> is null.</exception>
    public static MailBuilder AddMail(this IServiceCollection services, IConfiguration section, Action<MailOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);

        var flask = FlaskMailEnvironment.Read(Environment.GetEnvironmentVariables());

        // Booleans take the same spellings from either source (true/false, 1/0, yes/no, on/off), read when the
        // options are first needed, so configuration added after this call counts.
        services.AddOptions<MailOptions>()
            .Configure(options => FlaskMailEnvironment.WithBooleansNormalized(section, "Mail").Bind(options))
            .Configure(options => FlaskMailEnvironment.ToConfiguration(flask).Bind(options))
            .Configure(options => configure?.Invoke(options))
            .PostConfigure<IServiceProvider>((options, provider) => ApplyEnvironmentDefaults(options, provider.GetService<IHostEnvironment>()))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MailOptions>, MailOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISendBudgetStore>(provider => new InProcessSendBudgetStore(provider.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(provider => new SendBudgets(provider.GetRequiredService<IOptions<MailOptions>>().Value,
            provider.GetRequiredService<ISendBudgetStore>()));

        var pipeline = services.FirstOrDefault(d => d.ServiceType == typeof(MailPipeline))?.ImplementationInstance as MailPipeline;
        if (pipeline is null)
        {
            pipeline = new MailPipeline();
            services.AddSingleton(pipeline);
            services.AddSingleton<MailTransportLifetime>();
            services.AddSingleton<IMailTransport>(provider =>
            {
                // Resolved first, so the container disposes it (and with it the transports) after the transport's users.
                provider.GetRequiredService<MailTransportLifetime>();
                return pipeline.Build(provider);
            });
            services.AddSingleton<IMailer>(provider =>
            {
                var options = provider.GetRequiredService<IOptions<MailOptions>>().Value;
                // The transport is not even created when sending is suppressed.
                // The suppression list runs last, on the recipients the other interceptors left.
                IEnumerable<IMailInterceptor> suppression = provider.GetService<ISuppressionList>() is { } list ? [new SuppressionListInterceptor(list)] : [];
                return new Mailer(options, options.SuppressSend == true ? null : provider.GetRequiredService<IMailTransport>(),
                    provider.GetServices<IMailInterceptor>().Concat(suppression), provider.GetService<ILoggerFactory>());
            });
        }

        return new MailBuilder(services, section, pipeline);
    }

    /// <summary>Flask-Mail's defaults that depend on the app: Debug in Development, SuppressSend when testing,
    /// and, beyond Flask-Mail, the pickup directory in Development when no server is configured.</summary>
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
        options.PickupDirectory = Path.GetFullPath(Path.Combine(root, options.PickupDirectory ?? MailOptions.DefaultPickupDirectory));
        if (!string.IsNullOrWhiteSpace(options.Dkim.PrivateKeyPath))
        {
            options.Dkim.PrivateKeyPath = Path.GetFullPath(options.Dkim.PrivateKeyPath, root);
        }

        foreach (var oauth in options.Servers.Select(s => s.OAuth2).Append(options.OAuth2).OfType<Authentication.OAuth2Options>())
        {
            if (!string.IsNullOrWhiteSpace(oauth.Microsoft.CertificatePath))
            {
                oauth.Microsoft.CertificatePath = Path.GetFullPath(oauth.Microsoft.CertificatePath, root);
            }

            if (!string.IsNullOrWhiteSpace(oauth.Google.KeyFilePath))
            {
                oauth.Google.KeyFilePath = Path.GetFullPath(oauth.Google.KeyFilePath, root);
            }
        }
    }
}
