namespace MailMvc.Web.DevMail;

/// <summary>A mail this process delivered, with the SMTP transcript when Debug is on.</summary>
public sealed record DeliveryRecord(Guid Id, DateTimeOffset At, string MessageId, string Subject, string To, string Method, string? Transcript);
