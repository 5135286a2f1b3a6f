namespace MailMvc.Web.DevMail;

/// <summary>The preview index: every case, and the recent deliveries.</summary>
public sealed record DevMailIndexViewModel(IReadOnlyList<MailPreviewCase> Cases, IReadOnlyList<DeliveryRecord> Deliveries, string Transport, bool Debug);
