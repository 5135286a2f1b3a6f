namespace MailMvc.Mail.Outbox;

/// <summary>The mails still to deliver, and since when the oldest due one waits (a scheduled mail waits from its
/// scheduled time): the part of <see cref="OutboxCounts"/> that reading only waiting mail can give, without counting
/// the sent, failed and cancelled mail an outbox keeps.</summary>
public sealed record OutboxBacklog(long Queued, long Sending, DateTimeOffset? OldestWaitingSince)
{
    /// <summary>Mails not yet delivered or failed.</summary>
    public long Depth => Queued + Sending;

    /// <summary>Of <see cref="Queued"/>, the mails waiting for a scheduled time still ahead.</summary>
    public long Scheduled { get; init; }

    /// <summary>The backlog part of <paramref name="counts"/>.</summary>
    public static OutboxBacklog From(OutboxCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new OutboxBacklog(counts.Queued, counts.Sending, counts.OldestWaitingSince) { Scheduled = counts.Scheduled };
    }
}
