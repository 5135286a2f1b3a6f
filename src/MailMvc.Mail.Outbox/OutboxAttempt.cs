namespace MailMvc.Mail.Outbox;

/// <summary>One delivery attempt: when, how it ended (<c>sent</c>, <c>retry</c> or <c>failed</c>), what the server
/// said, and which worker (instance and connection) made it.</summary>
public sealed record OutboxAttempt(DateTimeOffset At, string Outcome, string? Reply, string? Worker = null);
