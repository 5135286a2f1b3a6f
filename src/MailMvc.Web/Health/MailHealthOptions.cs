namespace MailMvc.Web.Health;

/// <summary>What <c>/healthz</c> calls healthy, section <c>Health</c>.</summary>
public sealed class MailHealthOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Health";

    /// <summary>The outbox is Degraded once its oldest waiting mail is older than this (15 minutes by default).</summary>
    public TimeSpan OutboxMaxAge { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long the delivery transport (for SMTP: connect, EHLO, TLS, login) has to answer a probe before it counts as
    /// down (5 seconds by default).</summary>
    public TimeSpan SmtpTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a probe's result is reused (10 seconds by default), so frequent health requests do not
    /// open a connection each. Zero probes on every request.</summary>
    public TimeSpan SmtpProbeInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How long the outbox's counts are reused (5 seconds by default), so frequent health requests do not each
    /// count the outbox table. Zero counts on every request.</summary>
    public TimeSpan OutboxCountsInterval { get; set; } = TimeSpan.FromSeconds(5);
}
