namespace MailMvc.Web.Compose;

/// <summary>What the page after a successful send shows.</summary>
/// <param name="Recipients">Everyone the mail went to, To, Cc and Bcc.</param>
/// <param name="MessageId">The mail's Message-ID, without angle brackets.</param>
/// <param name="Queued">True when the mail was stored in the outbox for background delivery, not sent yet.</param>
/// <param name="WrittenTo">The file the pickup folder wrote the mail to (relative to the app's folder), when no SMTP
/// server took it.</param>
public sealed record SentViewModel(string Recipients, string MessageId, bool Queued = false, string? WrittenTo = null)
{
    /// <summary>When a scheduled mail goes, in the sender's time zone ("Tue 1 Dec 2026, 19:30 (Asia/Tokyo)"); null when it goes now.</summary>
    public string? ScheduledFor { get; init; }
}
