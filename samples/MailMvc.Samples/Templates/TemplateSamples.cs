using System.Globalization;
using MailMvc.Mail;
using MailMvc.Templates;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace MailMvc.Samples.Templates;

/// <summary>Templated mail: the renderer's registration and one render sent.</summary>
public static class TemplateSamples
{
    /// <summary>Registers the renderer with the app's template models.</summary>
    public static void Register(WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        // <snippet:templates-registration>
        // the library knows no app: name the assemblies (and namespaces) the templates' models come from
        builder.Services.AddEmailTemplates(builder.Configuration.GetSection("EmailTemplates"), templates => templates
            .AddModelsFrom<OrderShippedModel>());   // its assembly is compiled against (and fingerprinted), its namespace imported
        // </snippet:templates-registration>
    }

    /// <summary>Renders a template and sends it.</summary>
    public static async Task<MailReceipt> SendAsync(IEmailRenderer renderer, IMailer mailer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(mailer);
        // <snippet:templates-send>
        var email = await renderer.RenderAsync("OrderShipped", new OrderShippedModel("Ada", "A-1042"), cancellationToken);
        var receipt = await mailer.SendAsync(new Message(email.Subject, ["ada@example.com"], body: email.Text, html: email.Html), cancellationToken);
        // </snippet:templates-send>
        return receipt;
    }

    /// <summary>Renders a template in the language of its reader.</summary>
    public static async Task<RenderedEmail> RenderInAsync(IEmailRenderer renderer, string locale, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        // <snippet:templates-localised>
        // OrderShipped.de-CH.cshtml, else OrderShipped.de.cshtml, else OrderShipped.cshtml (the subject comes with it)
        var email = await renderer.RenderAsync("OrderShipped", new OrderShippedModel("Ada", "A-1042"),
            CultureInfo.GetCultureInfo(locale), cancellationToken);   // "de-CH": dates and numbers in Swiss German too
        // </snippet:templates-localised>
        return email;
    }
}
