namespace MailMvc.Mail.Outbox;

/// <summary>A mail in the outbox, as the outbox page lists it.</summary>
public sealed record OutboxEntry(
    long Id,
    string MessageId,
    string? Subject,
    string Recipients,
    OutboxStatus Status,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    DateTimeOffset? SentAt,
    string? LastReply);
