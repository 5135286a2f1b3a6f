using System.Globalization;
using System.Threading.RateLimiting;
using FluentValidation;
using MailMvc.Mail;
using MailMvc.Web.Access;
using MailMvc.Web.Compose;
using MailMvc.Web.DevMail;
using MailMvc.Web.EmailTemplates;
using MailMvc.Web.Health;
using MailMvc.Web.Infrastructure;
using MailMvc.Web.Outbox;
using MailMvc.Web.Unsubscribe;
using MailMvc.Web.Welcome;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailMvc.Web;

/// <summary>The web app's wiring, so <c>Program.cs</c> reads like a table of contents.</summary>
public static partial class MailMvcWebExtensions
{
    /// <summary>Adds MVC, the validators, the page services, the bulk worker, rate limiting, health checks (the
    /// outbox's queue and the SMTP server), trusted proxies and the Data Protection key ring.</summary>
    public static IServiceCollection AddMailMvcWeb(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddControllersWithViews(options =>
        {
            // The order given here is the one MVC sorts by: a filter added by type without one ran at 0, before MVC's
            // size-limit filters, and they logged two warnings on every form POST (the limits themselves were already
            // applied by routing from the same attributes).
            options.Filters.Add<ReadFormFirstFilter>(ReadFormFirstFilter.FilterOrder);
            options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
        });
        // SecurityHeaders sends X-Frame-Options: DENY on every response; antiforgery would send SAMEORIGIN on some.
        services.AddAntiforgery(options => options.SuppressXFrameOptionsHeader = true);
        services.AddValidatorsFromAssemblyContaining<ComposeFormValidator>(ServiceLifetime.Singleton);

        services.AddOptions<ComposeOptions>().BindConfiguration(ComposeOptions.SectionName).ValidateOnStart();
        services.AddOptions<SendingRateLimitOptions>().BindConfiguration(SendingRateLimitOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ComposeOptions>, ComposeOptionsValidator>();
        services.AddSingleton<IValidateOptions<SendingRateLimitOptions>, SendingRateLimitOptionsValidator>();
        services.AddOptions<EmailLinkOptions>().BindConfiguration(EmailLinkOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmailLinkOptions>, EmailLinkOptionsValidator>();
        services.AddTrustedProxies();
        services.AddSharedKeyRing(configuration);
        services.AddOptions<OutboxPageOptions>().BindConfiguration(OutboxPageOptions.SectionName);
        services.AddOptions<DevMailOptions>().BindConfiguration(DevMailOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DevMailOptions>, DevMailOptionsValidator>();
        services.AddOptions<SendingOptions>().BindConfiguration(SendingOptions.SectionName);
        services.AddOptions<MailHealthOptions>().BindConfiguration(MailHealthOptions.SectionName)
            .Validate(o => o.SmtpTimeout > TimeSpan.Zero, "Health:SmtpTimeout must be longer than zero.")
            .Validate(o => o.OutboxMaxAge > TimeSpan.Zero, "Health:OutboxMaxAge must be longer than zero.")
            .Validate(o => o.SmtpProbeInterval >= TimeSpan.Zero, "Health:SmtpProbeInterval cannot be negative.")
            .Validate(o => o.OutboxCountsInterval >= TimeSpan.Zero, "Health:OutboxCountsInterval cannot be negative.")
            .ValidateOnStart();

        services.AddSingleton<ComposeMailService>();
        services.AddSingleton<WelcomeMailFactory>();
        services.AddOptions<UnsubscribeOptions>().BindConfiguration(UnsubscribeOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<UnsubscribeOptions>, UnsubscribeOptionsValidator>();
        services.AddSingleton<UnsubscribeLinks>();
        services.AddBulkWelcome();
        services.AddSingleton<MailPreviewService>();
        services.AddSingleton<DeliveryLog>();
        services.AddSingleton<DeliverabilityChecks>();
        services.AddSingleton<RecipientBudget>();
        services.AddSingleton<MailErrorText>();

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimits.Sending, context =>
            {
                var limits = context.RequestServices.GetRequiredService<IOptions<SendingRateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress.Of(context),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PermitsPerMinute, Window = TimeSpan.FromMinutes(1) });
            });
            // No body: the status code pages show the 429 page in the layout, which says when to try again.
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                    context.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                    context.HttpContext.Items[RateLimits.RetryAfterItem] = TimeSpan.FromSeconds(seconds);
                }

                return ValueTask.CompletedTask;
            };
        });
        services.TryAddSingleton(TimeProvider.System);
        // Singletons: each keeps its last result for the requests that follow (Health:SmtpProbeInterval, OutboxCountsInterval).
        services.AddSingleton<MailTransportHealthCheck>();
        services.AddSingleton<OutboxHealthCheck>();
        // The transport check bounds itself (Health:SmtpTimeout); a database that hangs is cut off here.
        services.AddHealthChecks()
            .AddCheck<OutboxHealthCheck>("outbox", timeout: TimeSpan.FromSeconds(10))
            .AddCheck<MailTransportHealthCheck>("transport")
            .AddCheck<SendBudgetHealthCheck>("budgets", timeout: TimeSpan.FromSeconds(10));
        return services;
    }

    /// <summary>The request pipeline, and one start-up line saying where mail goes.</summary>
    public static WebApplication UseMailMvcWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // Decided per request, not here: reading the settings while the pipeline is built would throw a bad setting's
        // validation error before start-up validation reports it, racing the host's disposal.
        app.UseWhen(context => context.RequestServices.GetRequiredService<IOptions<ProxyOptions>>().Value.TrustsAnyProxy,
            trusted => trusted.UseForwardedHeaders());

        app.UseSecurityHeaders();
        if (app.Environment.IsDevelopment())
        {
            // Start recording deliveries now, not when the preview page is first opened.
            app.Services.GetRequiredService<DeliveryLog>();
        }
        else
        {
            app.UseExceptionHandler("/error");
        }

        app.UseStatusCodePagesWithReExecute("/error/{0}");
        app.UseStaticFiles();
        app.UseRouting();
        app.UseRateLimiter();
        app.MapControllers();
        app.MapHealthChecks("/healthz", new HealthCheckOptions { ResponseWriter = HealthResponse.WriteAsync });

        var mailer = app.Services.GetRequiredService<IMailer>();
        LogTransport(app.Logger, mailer.TransportDescription, mailer.Options.Debug == true);
        var sending = app.Services.GetRequiredService<IOptions<SendingOptions>>().Value;
        if (!app.Environment.IsDevelopment() && !sending.AllowAnonymous && string.IsNullOrWhiteSpace(sending.Role))
        {
            LogSendingClosed(app.Logger);
        }

        return app;
    }

    /// <summary>Believes X-Forwarded-For and X-Forwarded-Proto only from the proxies in <see cref="ProxyOptions"/>; the
    /// framework's default of trusting loopback is dropped, so with none configured no one is believed.</summary>
    private static void AddTrustedProxies(this IServiceCollection services)
    {
        services.AddOptions<ProxyOptions>().BindConfiguration(ProxyOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ProxyOptions>, ProxyOptionsValidator>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<ProxyOptions>>((forwarded, proxies) =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            forwarded.ForwardLimit = proxies.Value.ForwardLimit;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in proxies.Value.KnownProxies)
            {
                forwarded.KnownProxies.Add(System.Net.IPAddress.Parse(proxy));
            }

            foreach (var network in proxies.Value.KnownNetworks)
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
            }
        });
    }

    /// <summary>One application name for every instance, and the keys in <see cref="KeyRingOptions.KeysPath"/> when it
    /// is set, so an antiforgery token or TempData cookie made by one instance is read by the others. Bound here, not
    /// through options, because the key ring is set up before any options exist.</summary>
    private static void AddSharedKeyRing(this IServiceCollection services, IConfiguration configuration)
    {
        var keyRing = configuration.GetSection(KeyRingOptions.SectionName).Get<KeyRingOptions>() ?? new KeyRingOptions();
        if (string.IsNullOrWhiteSpace(keyRing.ApplicationName))
        {
            throw new InvalidOperationException($"{KeyRingOptions.SectionName}:{nameof(KeyRingOptions.ApplicationName)} is empty; leave it unset (MailMvc) or give every instance the same name.");
        }

        var dataProtection = services.AddDataProtection().SetApplicationName(keyRing.ApplicationName);
        if (!string.IsNullOrWhiteSpace(keyRing.KeysPath))
        {
            dataProtection.PersistKeysToFileSystem(Directory.CreateDirectory(Path.GetFullPath(keyRing.KeysPath, AppContext.BaseDirectory)));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The compose and welcome pages answer 404 outside Development until Sending:Role (a role of your authentication) or Sending:AllowAnonymous is set")]
    private static partial void LogSendingClosed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail goes to {Transport}; SMTP transcript logging (Mail:Debug) is {Debug}")]
    private static partial void LogTransport(ILogger logger, string transport, bool debug);
}
