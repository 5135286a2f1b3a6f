namespace MailMvc.Docs.Tests.Samples;

/// <summary>One post the mail API received.</summary>
/// <param name="ContentType">The body's media type.</param>
/// <param name="EnvelopeTo">The <c>X-Envelope-To</c> header: the recipients.</param>
/// <param name="Mime">The body: the message as MIME text.</param>
internal sealed record PostedMail(string? ContentType, string EnvelopeTo, string Mime);
