using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using MailMvc.Samples.Extensions;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Samples.Registration;

/// <summary>How an app's <c>Program.cs</c> registers the mailer: each method is one way, as the docs show it.</summary>
public static class RegistrationSamples
{
    /// <summary>The mailer over SMTP, with an interceptor and the outbox.</summary>
    public static void Default(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // <snippet:registration>
        // Program.cs: settings from the "Mail" section, and from MAIL_* variables as in Flask-Mail
        builder.Services.AddMail(builder.Configuration.GetSection("Mail"))
            .UseSmtp()                                   // or .UsePickupDirectory(); with neither, Mail:DeliveryMethod decides
            .AddInterceptor<BlockedDomainInterceptor>()  // runs on every message before it is sent or queued
            .AddSuppressionList()                        // unsubscribed and unknown addresses: checked last, and again by the outbox
            .AddOutbox(outbox => outbox.UseSqlite());    // last: a send stores the mail, a background worker delivers it
        // </snippet:registration>
    }

    /// <summary>A transport of your own instead of SMTP.</summary>
    public static void CustomTransport(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // <snippet:registration-transport>
        builder.Services.AddHttpClient(nameof(HttpApiTransport), http => http.BaseAddress = new Uri("https://mail-api.example.com/v1/"));
        builder.Services.AddMail(builder.Configuration.GetSection("Mail"))
            .UseTransport<HttpApiTransport>();           // created from the container, once
        // </snippet:registration-transport>
    }

    /// <summary>Wrappers in order, the outbox last.</summary>
    public static void Wrappers(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // <snippet:registration-wrapper>
        builder.Services.AddHttpClient(nameof(HttpApiTransport), http => http.BaseAddress = new Uri("https://mail-api.example.com/v1/"));
        builder.Services.AddSingleton<HttpApiTransport>();
        builder.Services.AddMail(builder.Configuration.GetSection("Mail"))
            .UseSmtp()
            .WrapTransport<FailoverTransport>()          // around SMTP: the mail API when no SMTP server answers
            .AddOutbox(outbox => outbox.UsePostgres(builder.Configuration.GetConnectionString("Outbox")!)); // around both
        // </snippet:registration-wrapper>
    }

    /// <summary>An outbox store of your own.</summary>
    public static void CustomStore(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // <snippet:registration-store>
        builder.Services.AddMail(builder.Configuration.GetSection("Mail"))
            .AddOutbox(outbox => outbox.UseStore<InMemoryOutboxStore>());
        // </snippet:registration-store>
    }

    /// <summary>OAuth2 login with a token provider of your own.</summary>
    public static void CustomTokenProvider(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // <snippet:registration-token-provider>
        builder.Services.AddHttpClient(nameof(VaultTokenProvider), http => http.BaseAddress = new Uri("https://vault.example.com/v1/"));
        builder.Services.AddMail(builder.Configuration.GetSection("Mail"))
            .UseTokenProvider<VaultTokenProvider>();     // for Mail:OAuth2:Provider=Custom
        // </snippet:registration-token-provider>
    }
}
