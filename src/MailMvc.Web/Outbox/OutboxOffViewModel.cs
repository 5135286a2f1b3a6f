namespace MailMvc.Web.Outbox;

/// <summary>The outbox page when mail is not queued.</summary>
/// <param name="SuppressSend">True when sending is suppressed, which also keeps the outbox unused.</param>
/// <param name="Transport">Where mail goes instead, in words.</param>
public sealed record OutboxOffViewModel(bool SuppressSend, string Transport);
