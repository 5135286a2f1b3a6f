namespace MailMvc.Mail.Outbox;

/// <summary>One delivery attempt: when, how it ended (<c>sent</c>, <c>retry</c> or <c>failed</c>) and what the server said.</summary>
public sealed record OutboxAttempt(DateTimeOffset At, string Outcome, string? Reply);
