namespace MailMvc.Mail.Telemetry;

/// <summary>What MailMvc's traces may carry, section <c>Mail:Telemetry</c>.</summary>
public sealed class MailTelemetryOptions
{
    /// <summary>Put the envelope sender and recipients on each <c>mail send</c> span. Off by default: traces often
    /// leave the company (a hosted tracing service), and addresses are personal data.</summary>
    public bool IncludeAddresses { get; set; }
}
