namespace MailMvc.Web.Infrastructure;

/// <summary>Where traces and metrics go, section <c>Telemetry</c>. Unset (and no <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>
/// in the environment) means the app wires no OpenTelemetry at all.</summary>
public sealed class TelemetryOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Telemetry";

    /// <summary>The standard environment variable OpenTelemetry's exporters read, which turns telemetry on as well.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>The OTLP collector (for example <c>http://localhost:4317</c>, gRPC; set <c>OTEL_EXPORTER_OTLP_PROTOCOL</c>
    /// to <c>http/protobuf</c> for port 4318). <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> wins when both are set.</summary>
    public string? OtlpEndpoint { get; set; }

    /// <summary>The service name traces carry; <c>OTEL_SERVICE_NAME</c> wins when set.</summary>
    public string ServiceName { get; set; } = "MailMvc.Web";
}
