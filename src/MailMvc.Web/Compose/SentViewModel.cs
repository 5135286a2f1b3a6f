namespace MailMvc.Web.Compose;

/// <summary>What the page after a successful send shows.</summary>
public sealed record SentViewModel(string Recipients, string MessageId);
