using MailMvc.Templates.Configuration;
using MailMvc.Templates.Lint;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailMvc.Templates;

/// <summary>Registers the email templates: <see cref="IEmailRenderer"/>, <see cref="IEmailTemplateCatalog"/>,
/// <see cref="EmailLint"/> and the start-up warm-up.</summary>
public static class EmailTemplateServiceCollectionExtensions
{
    /// <summary>
    /// Adds the email templates with <see cref="EmailTemplateOptions"/> bound from <paramref name="section"/> and
    /// validated at start-up. All services are singletons: <see cref="RazorLightEmailRenderer"/> (also as
    /// <see cref="IEmailRenderer"/>), <see cref="IEmailTemplateCatalog"/>, <see cref="EmailLint"/> and the hosted
    /// <see cref="TemplateWarmupService"/>. Name the types templates use in <paramref name="configure"/>, with
    /// <see cref="EmailTemplateOptions.AddModelsFrom{TModel}"/>: this library knows no app's models.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="section">Usually <c>configuration.GetSection("EmailTemplates")</c>.</param>
    /// <param name="configure">Optional changes applied in code after configuration (tests use it).</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="section"/> is null.</exception>
    public static IServiceCollection AddEmailTemplates(this IServiceCollection services, IConfiguration section, Action<EmailTemplateOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(section);
        return AddEmailTemplatesCore(services, builder => builder.Bind(section), configure);
    }

    /// <summary>Adds the email templates configured in code only; see
    /// <see cref="AddEmailTemplates(IServiceCollection, IConfiguration, Action{EmailTemplateOptions}?)"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns><paramref name="services"/>, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IServiceCollection AddEmailTemplates(this IServiceCollection services, Action<EmailTemplateOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        return AddEmailTemplatesCore(services, bind: null, configure);
    }

    /// <summary>The defaults that depend on the host: reload in Development, and the templates folder.</summary>
    internal static void ApplyEnvironmentDefaults(EmailTemplateOptions options, IHostEnvironment? environment)
    {
        options.ReloadOnChange ??= environment?.IsDevelopment() ?? false;
        var contentRoot = environment?.ContentRootPath ?? Directory.GetCurrentDirectory();
        (options.TemplatesPath, options.SearchedPaths) =
            TemplatesFolderLocator.Resolve(options.TemplatesPath, contentRoot, AppContext.BaseDirectory);
        if (!string.IsNullOrWhiteSpace(options.CompiledTemplatesPath))
        {
            options.CompiledTemplatesPath = Path.TrimEndingDirectorySeparator(Path.GetFullPath(options.CompiledTemplatesPath, AppContext.BaseDirectory));
        }
    }

    private static IServiceCollection AddEmailTemplatesCore(IServiceCollection services, Action<OptionsBuilder<EmailTemplateOptions>>? bind, Action<EmailTemplateOptions>? configure)
    {
        var options = services.AddOptions<EmailTemplateOptions>();
        bind?.Invoke(options);
        options
            .Configure(o => configure?.Invoke(o))
            .PostConfigure<IServiceProvider>((o, provider) => ApplyEnvironmentDefaults(o, provider.GetService<IHostEnvironment>()))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<EmailTemplateOptions>, EmailTemplateOptionsValidator>());
        services.TryAddSingleton<RazorLightEmailRenderer>();
        services.TryAddSingleton<IEmailRenderer>(provider => provider.GetRequiredService<RazorLightEmailRenderer>());
        services.TryAddSingleton<IEmailTemplateCatalog, EmailTemplateCatalog>();
        services.TryAddSingleton(provider => new EmailLint(provider.GetRequiredService<IOptions<EmailTemplateOptions>>().Value.Lint));
        services.AddHostedService<TemplateWarmupService>();
        return services;
    }
}
