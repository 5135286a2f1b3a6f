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
    string? LastReply)
{
    /// <summary>When it is scheduled to go (scheduled sending), or null when it went or goes as soon as it can.</summary>
    public DateTimeOffset? NotBefore { get; init; }

    /// <summary>True when it waits for its scheduled time at <paramref name="now"/>: queued, not yet attempted, its time ahead.</summary>
    public bool IsScheduledAt(DateTimeOffset now) => Status == OutboxStatus.Queued && NotBefore > now;
}
