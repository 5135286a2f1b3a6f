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
}
