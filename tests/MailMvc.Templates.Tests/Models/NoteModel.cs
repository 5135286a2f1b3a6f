namespace MailMvc.Templates.Tests.Models;

/// <summary>The model of the sample <c>Templates/Note.cshtml</c>, which has no text twin.</summary>
public sealed record NoteModel(string Subject, string Body);
