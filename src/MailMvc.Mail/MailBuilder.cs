using MailMvc.Mail.Interception;
using MailMvc.Mail.Suppression;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail;

/// <summary>
/// Chooses the mailer's pipeline after <see cref="MailServiceCollectionExtensions.AddMail"/>: the transport
/// (<see cref="UseSmtp"/>, <see cref="UsePickupDirectory"/>, <see cref="UseTransport{TTransport}()"/>; by default the one
/// <see cref="MailOptions.DeliveryMethod"/> names), the transports that wrap it (<see cref="WrapTransport{TWrapper}()"/>,
/// the outbox), and the interceptors (<see cref="AddInterceptor{TInterceptor}()"/>).
/// </summary>
public sealed class MailBuilder
{
    private readonly MailPipeline _pipeline;

    internal MailBuilder(IServiceCollection services, IConfiguration configuration, MailPipeline pipeline)
    {
        Services = services;
        Configuration = configuration;
        _pipeline = pipeline;
    }

    /// <summary>The service collection, for registrations of your own.</summary>
    public IServiceCollection Services { get; }

    /// <summary>The <c>Mail</c> configuration section the mailer was added with (extensions read their own
    /// sub-sections from it, as the outbox reads <c>Mail:Outbox</c>).</summary>
    public IConfiguration Configuration { get; }

    /// <summary>Delivers over SMTP (<see cref="SmtpMailTransport"/>) whatever <see cref="MailOptions.DeliveryMethod"/> says.</summary>
    /// <returns>This builder.</returns>
    public MailBuilder UseSmtp() =>
        UseTransport(provider => MailTransports.Smtp(Options(provider), provider.GetService<ILoggerFactory>() ?? NullLoggerFactory.Instance, provider));

    /// <summary>Writes <c>.eml</c> files to <see cref="MailOptions.PickupDirectory"/> (<see cref="PickupDirectoryTransport"/>).</summary>
    /// <returns>This builder.</returns>
    public MailBuilder UsePickupDirectory() =>
        UseTransport(provider => new PickupDirectoryTransport(Options(provider).PickupDirectory ?? MailOptions.DefaultPickupDirectory));

    /// <summary>Delivers through <typeparamref name="TTransport"/>, created from the container (its constructor may take
    /// any registered service, <see cref="IOptions{MailOptions}"/> included).</summary>
    /// <returns>This builder.</returns>
    public MailBuilder UseTransport<TTransport>()
        where TTransport : class, IMailTransport =>
        UseTransport(provider => ActivatorUtilities.CreateInstance<TTransport>(provider));

    /// <summary>Delivers through the transport <paramref name="factory"/> makes (once, for the app's lifetime).</summary>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public MailBuilder UseTransport(Func<IServiceProvider, IMailTransport> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _pipeline.Transport = factory;
        return this;
    }

    /// <summary>
    /// Wraps the transport so far in <typeparamref name="TWrapper"/>, created from the container with the transport it
    /// wraps as the <see cref="IMailTransport"/> argument of its constructor. Wrappers apply in the order added, each
    /// around what came before: add the outbox last, so that it stores what the others will deliver.
    /// </summary>
    /// <returns>This builder.</returns>
    public MailBuilder WrapTransport<TWrapper>()
        where TWrapper : class, IMailTransport =>
        WrapTransport((provider, inner) => ActivatorUtilities.CreateInstance<TWrapper>(provider, inner));

    /// <summary>Wraps the transport so far in the one <paramref name="wrap"/> makes from it; see
    /// <see cref="WrapTransport{TWrapper}()"/>.</summary>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="wrap"/> is null.</exception>
    public MailBuilder WrapTransport(Func<IServiceProvider, IMailTransport, IMailTransport> wrap)
    {
        ArgumentNullException.ThrowIfNull(wrap);
        _pipeline.Wrappers.Add(wrap);
        return this;
    }

    /// <summary>Runs <typeparamref name="TInterceptor"/> (a singleton from the container) on every message before it
    /// is sent or queued, after the interceptors added before it.</summary>
    /// <returns>This builder.</returns>
    public MailBuilder AddInterceptor<TInterceptor>()
        where TInterceptor : class, IMailInterceptor
    {
        Services.AddSingleton<IMailInterceptor, TInterceptor>();
        return this;
    }

    /// <summary>Runs <paramref name="interceptor"/> on every message; see <see cref="AddInterceptor{TInterceptor}()"/>.</summary>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="interceptor"/> is null.</exception>
    public MailBuilder AddInterceptor(IMailInterceptor interceptor)
    {
        ArgumentNullException.ThrowIfNull(interceptor);
        Services.AddSingleton(interceptor);
        return this;
    }

    /// <summary>Checks every message against <typeparamref name="TList"/> (a singleton from the container) before it is
    /// sent or queued, after every interceptor: suppressed recipients are dropped, and a message left with none is not
    /// sent (its receipt says <see cref="MailDisposition.Suppressed"/>, with the reason). The outbox checks the list again
    /// at every delivery attempt. The last call wins.</summary>
    /// <returns>This builder.</returns>
    public MailBuilder UseSuppressionList<TList>()
        where TList : class, ISuppressionList
    {
        Services.Replace(ServiceDescriptor.Singleton<ISuppressionList, TList>());
        return this;
    }

    /// <summary>Checks every message against the list <paramref name="factory"/> makes (once); see
    /// <see cref="UseSuppressionList{TList}()"/>.</summary>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="factory"/> is null.</exception>
    public MailBuilder UseSuppressionList(Func<IServiceProvider, ISuppressionList> factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        Services.Replace(ServiceDescriptor.Singleton(factory));
        return this;
    }

    /// <summary>Gets the access tokens of OAuth2 logins from <typeparamref name="TProvider"/> (a singleton from the
    /// container) for servers whose <c>OAuth2:Provider</c> is <c>Custom</c>. MailMvc caches its tokens until shortly before
    /// they expire and tells it when a server refused one.</summary>
    /// <returns>This builder.</returns>
    public MailBuilder UseTokenProvider<TProvider>()
        where TProvider : class, Authentication.IMailTokenProvider
    {
        Services.Replace(ServiceDescriptor.Singleton<Authentication.IMailTokenProvider, TProvider>());
        return this;
    }

    /// <summary>Gets the access tokens of OAuth2 logins from <paramref name="provider"/>; see
    /// <see cref="UseTokenProvider{TProvider}()"/>.</summary>
    /// <returns>This builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is null.</exception>
    public MailBuilder UseTokenProvider(Authentication.IMailTokenProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        Services.Replace(ServiceDescriptor.Singleton(provider));
        return this;
    }

    private static MailOptions Options(IServiceProvider provider) => provider.GetRequiredService<IOptions<MailOptions>>().Value;
}
