namespace MailMvc.Web.EmailTemplates;

/// <summary>The model of <c>Templates/_Button.cshtml</c>: a call-to-action button that works in every mail client.</summary>
/// <param name="Text">The button's label.</param>
/// <param name="Url">The absolute address it links to.</param>
public sealed record ButtonModel(string Text, string Url);
