namespace MailMvc.Web.DevMail;

/// <summary>An attachment as the preview lists it.</summary>
public sealed record AttachmentInfo(string FileName, string ContentType, long SizeBytes);
