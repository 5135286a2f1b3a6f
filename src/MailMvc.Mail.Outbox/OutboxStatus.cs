namespace MailMvc.Mail.Outbox;

/// <summary>Where a mail in the outbox stands.</summary>
public enum OutboxStatus
{
    /// <summary>Waiting for its first or next attempt.</summary>
    Queued,

    /// <summary>Claimed by a worker that is delivering it.</summary>
    Sending,

    /// <summary>The server accepted it.</summary>
    Sent,

    /// <summary>Refused for good, or given up on after too many attempts; <see cref="OutboxEntry.LastReply"/> says why.</summary>
    Failed,

    /// <summary>Taken out of the outbox before it was sent (a scheduled mail someone cancelled); it is never sent.</summary>
    Cancelled,
}
