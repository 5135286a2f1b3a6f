using System.Globalization;

namespace MailMvc.Templates;

/// <summary>Renders a Razor email template from <c>Templates/</c> with a typed model.</summary>
public interface IEmailRenderer
{
    /// <summary>
    /// Renders <c>{template}.cshtml</c> (inside its layout) as the HTML part and <c>{template}.text.cshtml</c>
    /// as the plain-text part; without a <c>.text</c> twin the text part is derived from the HTML.
    /// The subject is what the template sets in <c>ViewBag.Subject</c>.
    /// </summary>
    /// <exception cref="TemplateNotFoundException">There is no such template.</exception>
    Task<RenderedEmail> RenderAsync<TModel>(string template, TModel model, CancellationToken cancellationToken = default);

    /// <summary>
    /// Renders <paramref name="template"/> in <paramref name="culture"/>: the most specific variant there is, falling
    /// back as ASP.NET Core's request localisation does (<c>Welcome.de-CH.cshtml</c>, then <c>Welcome.de.cshtml</c>, then
    /// <c>Welcome.cshtml</c>). A variant sets its own subject and has its own <c>.text</c> twin
    /// (<c>Welcome.de.text.cshtml</c>; without one its text part is derived from its HTML). While it renders,
    /// <see cref="CultureInfo.CurrentCulture"/> is <paramref name="culture"/>, and templates read the variant's culture
    /// name in <c>ViewBag.Culture</c> (empty for the template itself). Null renders the template itself.
    /// </summary>
    /// <exception cref="TemplateNotFoundException">There is no such template.</exception>
    Task<RenderedEmail> RenderAsync<TModel>(string template, TModel model, CultureInfo? culture, CancellationToken cancellationToken = default);
}
