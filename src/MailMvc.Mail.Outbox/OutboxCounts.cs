namespace MailMvc.Mail.Outbox;

/// <summary>How many mails are in each state, and the age of the oldest one still waiting.</summary>
public sealed record OutboxCounts(long Queued, long Sending, long Sent, long Failed, DateTimeOffset? OldestWaitingSince)
{
    /// <summary>Mails not yet delivered or failed.</summary>
    public long Depth => Queued + Sending;
}
