using MailMvc.Mail;
using MailMvc.Templates;

namespace MailMvc.Web.Welcome;

/// <summary>Renders the Welcome template for one person into a message.</summary>
public sealed class WelcomeMailFactory
{
    /// <summary>The template's name in <c>Templates/</c>.</summary>
    public const string Template = "Welcome";

    private readonly IEmailRenderer _renderer;
    private readonly bool _showDeveloperLinks;

    public WelcomeMailFactory(IEmailRenderer renderer, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _renderer = renderer;
        _showDeveloperLinks = environment.IsDevelopment();
    }

    public async Task<Message> CreateAsync(string name, string email, CancellationToken cancellationToken)
    {
        var rendered = await _renderer.RenderAsync(Template, new WelcomeModel(name, email, _showDeveloperLinks), cancellationToken);
        return new Message(
            subject: rendered.Subject,
            recipients: [email],
            body: rendered.Text,
            html: rendered.Html);
    }
}
