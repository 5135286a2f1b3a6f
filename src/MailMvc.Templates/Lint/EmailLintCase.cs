namespace MailMvc.Templates.Lint;

/// <summary>One sample of a template for <see cref="EmailLint.LintAllAsync"/>: a template rendered with a sample
/// model. Create one with <see cref="For{TModel}"/>.</summary>
/// <param name="Template">The template's name.</param>
/// <param name="Name">The sample's name, for the report (<c>default</c>, <c>long-name</c>).</param>
/// <param name="Render">Renders the template with the sample's model.</param>
public sealed record EmailLintCase(string Template, string Name, Func<IEmailRenderer, CancellationToken, Task<RenderedEmail>> Render)
{
    /// <summary>A case that renders <paramref name="template"/> with <paramref name="model"/>.</summary>
    /// <param name="template">The template's name.</param>
    /// <param name="name">The sample's name.</param>
    /// <param name="model">The sample model.</param>
    /// <typeparam name="TModel">The template's model type.</typeparam>
    /// <returns>The case.</returns>
    public static EmailLintCase For<TModel>(string template, string name, TModel model) =>
        new(template, name, (renderer, cancellationToken) => renderer.RenderAsync(template, model, cancellationToken));
}
