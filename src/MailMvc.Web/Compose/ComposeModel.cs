namespace MailMvc.Web.Compose;

/// <summary>The model of <c>Templates/Compose.cshtml</c>: a message typed on the compose page.</summary>
/// <param name="Subject">The subject as typed.</param>
/// <param name="Body">The message as typed; blank lines separate paragraphs.</param>
public sealed record ComposeModel(string Subject, string Body);
