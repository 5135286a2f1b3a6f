using MailMvc.Templates;
using MailMvc.Web.Compose;
using MailMvc.Web.Welcome;

namespace MailMvc.Web.EmailTemplates;

/// <summary>The models of the app's templates in <c>Templates/</c>, registered with the renderer so the templates
/// compile against them.</summary>
public static class MailMvcTemplateModels
{
    /// <summary>Adds the assembly and namespaces of every model the app's templates use.</summary>
    /// <param name="options">The template options being configured.</param>
    /// <returns><paramref name="options"/>, for chaining.</returns>
    public static EmailTemplateOptions AddMailMvcModels(this EmailTemplateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options
            .AddModelsFrom<WelcomeModel>()
            .AddModelsFrom<ComposeModel>()
            .AddModelsFrom<ButtonModel>();
    }
}
