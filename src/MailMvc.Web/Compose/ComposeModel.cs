namespace MailMvc.Web.Compose;

/// <summary>The model of <c>Templates/Compose.cshtml</c>: a message typed on the compose page.</summary>
/// <param name="Subject">The subject as typed.</param>
/// <param name="Body">The message as typed; blank lines separate paragraphs.</param>
/// <param name="MarkdownHtml">The message as HTML when it was written in Markdown (<see cref="ComposeMarkdown"/>, which
/// lets no raw HTML through); null for plain text.</param>
public sealed record ComposeModel(string Subject, string Body, string? MarkdownHtml = null);
