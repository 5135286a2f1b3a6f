namespace MailMvc.Web.DevMail;

/// <summary>A link found in a mail's HTML.</summary>
public sealed record LinkInfo(string Text, string Href);
