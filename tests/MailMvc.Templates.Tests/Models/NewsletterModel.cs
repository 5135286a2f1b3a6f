namespace MailMvc.Templates.Tests.Models;

/// <summary>The model of the sample <c>Templates/Newsletter.cshtml</c>, a mail that breaks on purpose: an image
/// without alt text, an http: link, and as many kilobytes of stories as asked for.</summary>
public sealed record NewsletterModel(int Kilobytes);
