using MailMvc.Mail.Telemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace MailMvc.Web.Infrastructure;

/// <summary>OpenTelemetry for the app: the requests, MailMvc's spans (a send, the outbox's queueing and delivery
/// attempts, one trace from the request to the SMTP server), MailKit's own, and MailMvc's and MailKit's metrics, sent
/// over OTLP.</summary>
public static class TelemetryServiceCollectionExtensions
{
    /// <summary>Wires OpenTelemetry with the OTLP exporter when an endpoint is configured
    /// (<see cref="TelemetryOptions.OtlpEndpointVariable"/> or <c>Telemetry:OtlpEndpoint</c>); adds nothing otherwise.
    /// An endpoint that is not an http or https address stops start-up with a sentence naming the setting.</summary>
    public static IServiceCollection AddMailMvcTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var options = configuration.GetSection(TelemetryOptions.SectionName).Get<TelemetryOptions>() ?? new TelemetryOptions();
        var fromEnvironment = configuration[TelemetryOptions.OtlpEndpointVariable];
        var endpoint = string.IsNullOrWhiteSpace(fromEnvironment) ? options.OtlpEndpoint : fromEnvironment;
        if (string.IsNullOrWhiteSpace(endpoint))
        {
            return services;
        }

        var setting = string.IsNullOrWhiteSpace(fromEnvironment) ? $"{TelemetryOptions.SectionName}:{nameof(TelemetryOptions.OtlpEndpoint)}" : TelemetryOptions.OtlpEndpointVariable;
        services.AddOptions<TelemetryOptions>().BindConfiguration(TelemetryOptions.SectionName)
            .PostConfigure(o => o.OtlpEndpoint = endpoint)
            .Validate(o => AsCollector(o.OtlpEndpoint) is not null,
                $"{setting} is '{endpoint}', which is not an http:// or https:// address. Give the OTLP collector's address " +
                "(for example http://localhost:4317), or leave it unset to send no telemetry.")
            .ValidateOnStart();
        if (AsCollector(endpoint) is not { } collector)
        {
            return services;
        }

        MailTelemetry.EnableMailKitInstrumentation();
        void Export(OtlpExporterOptions exporter) => exporter.Endpoint = collector;
        var serviceName = configuration["OTEL_SERVICE_NAME"] is { Length: > 0 } named ? named : options.ServiceName;
        services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(serviceName))
            .WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(aspNet => aspNet.Filter = http => !http.Request.Path.StartsWithSegments("/healthz"))
                .AddSource(MailTelemetry.SourceName, MailTelemetry.MailKitSourceName)
                .AddOtlpExporter(Export))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddMeter(MailTelemetry.SourceName, MailTelemetry.MailKitMeterName)
                .AddOtlpExporter(Export));
        return services;
    }

    private static Uri? AsCollector(string? endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
}
