namespace MailMvc.Web.DevMail;

/// <summary>A mail this process delivered, with the SMTP transcript when Debug is on.</summary>
/// <param name="Id">The record's id, in its page's address.</param>
/// <param name="At">When it was delivered.</param>
/// <param name="MessageId">Its Message-ID, without angle brackets.</param>
/// <param name="Subject">Its subject.</param>
/// <param name="To">Its envelope recipients.</param>
/// <param name="Via">How it went, in words: "SMTP server", "pickup folder", "outbox".</param>
/// <param name="Transcript">The SMTP exchange, when Debug is on and it went to an SMTP server.</param>
/// <param name="WrittenFile">The file the pickup folder wrote it to, relative to the app's folder; null otherwise.</param>
/// <param name="Html">Its HTML part, for the preview frame; null when it has none.</param>
/// <param name="Text">Its text part; null when it has none.</param>
/// <param name="Dkim">Whether it was (or, queued, will be) DKIM-signed, and by which domain and selector.</param>
public sealed record DeliveryRecord(Guid Id, DateTimeOffset At, string MessageId, string Subject, string To, string Via, string? Transcript,
    string? WrittenFile = null, string? Html = null, string? Text = null, string? Dkim = null);
