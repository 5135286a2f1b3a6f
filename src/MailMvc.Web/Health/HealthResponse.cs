using System.Text.Json;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MailMvc.Web.Health;

/// <summary>Writes <c>/healthz</c>'s answer as JSON: the overall status, and each check's status, description and
/// figures. The HTTP status stays the health checks' own: 200 when Healthy or Degraded, 503 when Unhealthy.</summary>
public static class HealthResponse
{
    private static readonly JsonWriterOptions s_options = new() { Indented = true };

    public static async Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        context.Response.ContentType = "application/json; charset=utf-8";
        using var buffer = new MemoryStream();
        await using (var json = new Utf8JsonWriter(buffer, s_options))
        {
            json.WriteStartObject();
            json.WriteString("status", report.Status.ToString());
            json.WriteNumber("durationMs", Math.Round(report.TotalDuration.TotalMilliseconds, 1));
            json.WriteStartObject("checks");
            foreach (var (name, entry) in report.Entries)
            {
                json.WriteStartObject(name);
                json.WriteString("status", entry.Status.ToString());
                json.WriteString("description", entry.Description);
                json.WriteNumber("durationMs", Math.Round(entry.Duration.TotalMilliseconds, 1));
                json.WriteStartObject("data");
                foreach (var (key, value) in entry.Data)
                {
                    json.WritePropertyName(key);
                    JsonSerializer.Serialize(json, value, value?.GetType() ?? typeof(object));
                }

                json.WriteEndObject();
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        await context.Response.Body.WriteAsync(buffer.ToArray(), context.RequestAborted);
    }
}
