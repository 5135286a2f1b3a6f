namespace MailMvc.Web.DevMail;

/// <summary>The preview index: every template in the folder with its cases, and the recent deliveries.</summary>
public sealed record DevMailIndexViewModel(IReadOnlyList<TemplatePreviews> Templates, IReadOnlyList<DeliveryRecord> Deliveries, string Transport, bool Debug);
