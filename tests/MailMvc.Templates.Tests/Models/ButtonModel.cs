namespace MailMvc.Templates.Tests.Models;

/// <summary>The model of the sample partial <c>Templates/_Button.cshtml</c>.</summary>
public sealed record ButtonModel(string Text, string Url);
