namespace MailMvc.Web.DevMail;

/// <summary>A template in the templates folder and its preview cases; a template without any is listed with a
/// warning.</summary>
/// <param name="Template">The template's name, as the catalog lists it.</param>
/// <param name="Cases">Its cases in <see cref="MailPreviews"/>, in the order written there.</param>
public sealed record TemplatePreviews(string Template, IReadOnlyList<MailPreviewCase> Cases);
