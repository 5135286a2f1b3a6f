namespace MailMvc.Mail.Outbox;

/// <summary>How many mails are in each state, and since when the oldest due one waits (a scheduled mail waits from its
/// scheduled time).</summary>
public sealed record OutboxCounts(long Queued, long Sending, long Sent, long Failed, DateTimeOffset? OldestWaitingSince)
{
    /// <summary>Mails not yet delivered or failed.</summary>
    public long Depth => Queued + Sending;

    /// <summary>Of <see cref="Queued"/>, the mails waiting for a scheduled time still ahead.</summary>
    public long Scheduled { get; init; }

    /// <summary>Mails cancelled before they were sent.</summary>
    public long Cancelled { get; init; }
}
