using System.Globalization;
using MailMvc.Templates;

namespace MailMvc.Web.DevMail;

/// <summary>One sample of a template for the preview page, like a Rails mailer preview method.
/// Create one with <see cref="For{TModel}"/>.</summary>
/// <param name="Template">The template's name in <c>Templates/</c>.</param>
/// <param name="Name">The case's name in the URL, for example <c>default</c>.</param>
/// <param name="Description">What this case shows.</param>
/// <param name="To">The sample recipient.</param>
/// <param name="Render">Renders the template with the case's sample model, in a culture (null: the template's own).</param>
public sealed record MailPreviewCase(string Template, string Name, string Description, string To,
    Func<IEmailRenderer, CultureInfo?, CancellationToken, Task<RenderedEmail>> Render)
{
    /// <summary>Sample attachments, by file name, content type and content.</summary>
    public IReadOnlyList<(string FileName, string ContentType, byte[] Content)> Attachments { get; init; } = [];

    /// <summary>A case that renders <paramref name="template"/> with <paramref name="model"/>.</summary>
    public static MailPreviewCase For<TModel>(string template, string name, string description, TModel model, string to) =>
        new(template, name, description, to, (renderer, culture, token) => renderer.RenderAsync(template, model, culture, token));
}
