using System.Threading.RateLimiting;
using FluentValidation;
using MailMvc.Mail;
using MailMvc.Web.Access;
using MailMvc.Web.Compose;
using MailMvc.Web.DevMail;
using MailMvc.Web.Health;
using MailMvc.Web.Outbox;
using MailMvc.Web.Welcome;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailMvc.Web;

/// <summary>The web app's wiring, so <c>Program.cs</c> reads like a table of contents.</summary>
public static partial class MailMvcWebExtensions
{
    /// <summary>Adds MVC, the validators, the page services, the bulk worker, rate limiting and health checks
    /// (the outbox's queue and the SMTP server).</summary>
    public static IServiceCollection AddMailMvcWeb(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddControllersWithViews(options => options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute()));
        services.AddValidatorsFromAssemblyContaining<ComposeFormValidator>(ServiceLifetime.Singleton);

        services.AddOptions<ComposeOptions>().BindConfiguration(ComposeOptions.SectionName).ValidateOnStart();
        services.AddOptions<SendingRateLimitOptions>().BindConfiguration(SendingRateLimitOptions.SectionName).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ComposeOptions>, ComposeOptionsValidator>();
        services.AddSingleton<IValidateOptions<SendingRateLimitOptions>, SendingRateLimitOptionsValidator>();
        services.AddOptions<OutboxPageOptions>().BindConfiguration(OutboxPageOptions.SectionName);
        services.AddOptions<SendingOptions>().BindConfiguration(SendingOptions.SectionName);
        services.AddOptions<MailHealthOptions>().BindConfiguration(MailHealthOptions.SectionName)
            .Validate(o => o.SmtpTimeout > TimeSpan.Zero, "Health:SmtpTimeout must be longer than zero.")
            .Validate(o => o.OutboxMaxAge > TimeSpan.Zero, "Health:OutboxMaxAge must be longer than zero.")
            .Validate(o => o.SmtpProbeInterval >= TimeSpan.Zero, "Health:SmtpProbeInterval cannot be negative.")
            .ValidateOnStart();

        services.AddSingleton<ComposeMailService>();
        services.AddSingleton<WelcomeMailFactory>();
        services.AddBulkWelcome();
        services.AddSingleton<MailPreviewService>();
        services.AddSingleton<DeliveryLog>();

        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.AddPolicy(RateLimits.Sending, context =>
            {
                var limits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<SendingRateLimitOptions>>().Value;
                return RateLimitPartition.GetFixedWindowLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = limits.PermitsPerMinute, Window = TimeSpan.FromMinutes(1) });
            });
            options.OnRejected = async (context, token) =>
            {
                context.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await context.HttpContext.Response.WriteAsync("Too many mails sent from your address in the last minute. Wait a minute and try again.", token);
            };
        });
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<MailTransportHealthCheck>();
        // The transport check bounds itself (Health:SmtpTimeout); a database that hangs is cut off here.
        services.AddHealthChecks()
            .AddCheck<OutboxHealthCheck>("outbox", timeout: TimeSpan.FromSeconds(10))
            .AddCheck<MailTransportHealthCheck>("transport");
        return services;
    }

    /// <summary>The request pipeline, and one start-up line saying where mail goes.</summary>
    public static WebApplication UseMailMvcWeb(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
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
        var sending = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SendingOptions>>().Value;
        if (!app.Environment.IsDevelopment() && !sending.AllowAnonymous && string.IsNullOrWhiteSpace(sending.Role))
        {
            LogSendingClosed(app.Logger);
        }

        return app;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The compose and welcome pages answer 404 outside Development until Sending:Role (a role of your authentication) or Sending:AllowAnonymous is set")]
    private static partial void LogSendingClosed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Mail goes to {Transport}; SMTP transcript logging (Mail:Debug) is {Debug}")]
    private static partial void LogTransport(ILogger logger, string transport, bool debug);
}
