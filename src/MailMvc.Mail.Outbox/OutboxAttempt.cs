namespace MailMvc.Mail.Outbox;

/// <summary>One delivery attempt: when, how it ended (<c>sent</c>, <c>retry</c> or <c>failed</c>), what the server
/// said, and which worker (instance and connection) made it.</summary>
public sealed record OutboxAttempt(DateTimeOffset At, string Outcome, string? Reply, string? Worker = null)
{
    /// <summary>The server that took the mail (for SMTP <c>host:port</c>), when the transport named one.</summary>
    public string? Server { get; init; }
}
