namespace MailMvc.Web.DevMail;

/// <summary>The preview index: every template in the folder with its cases, and the recent deliveries.</summary>
/// <param name="Templates">Every template in the folder, with its preview cases.</param>
/// <param name="Deliveries">The recent deliveries, newest first.</param>
/// <param name="Transport">Where mail goes, in words.</param>
/// <param name="UsesSmtp">True when mail reaches an SMTP server, so there are SMTP transcripts to record.</param>
/// <param name="Debug">True when the transcripts are recorded (Mail:Debug).</param>
public sealed record DevMailIndexViewModel(IReadOnlyList<TemplatePreviews> Templates, IReadOnlyList<DeliveryRecord> Deliveries, string Transport,
    bool UsesSmtp, bool Debug);
