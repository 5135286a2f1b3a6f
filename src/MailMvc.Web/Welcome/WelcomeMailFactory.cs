using MailMvc.Mail;
using MailMvc.Templates;
using MailMvc.Web.Unsubscribe;

namespace MailMvc.Web.Welcome;

/// <summary>Renders the Welcome template for one person into a message.</summary>
public sealed class WelcomeMailFactory
{
    /// <summary>The template's name in <c>Templates/</c>.</summary>
    public const string Template = "Welcome";

    private readonly IEmailRenderer _renderer;
    private readonly UnsubscribeLinks _links;
    private readonly bool _showDeveloperLinks;

    public WelcomeMailFactory(IEmailRenderer renderer, UnsubscribeLinks links, IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _renderer = renderer;
        _links = links;
        _showDeveloperLinks = environment.IsDevelopment();
    }

    /// <summary>The welcome mail for one person who signed up.</summary>
    public async Task<Message> CreateAsync(string name, string email, CancellationToken cancellationToken)
    {
        var rendered = await _renderer.RenderAsync(Template, new WelcomeModel(name, email, _showDeveloperLinks), cancellationToken);
        return new Message(
            subject: rendered.Subject,
            recipients: [email],
            body: rendered.Text,
            html: rendered.Html);
    }

    /// <summary>The welcome mail for one row of a list: bulk mail, with the one-click unsubscribe headers
    /// (<c>List-Unsubscribe</c>, <c>List-Unsubscribe-Post</c>) and the same link visible in both parts.</summary>
    public async Task<Message> CreateForListAsync(string name, string email, CancellationToken cancellationToken)
    {
        var address = new EmailAddress(email).ToMailboxAddress().Address;
        var link = _links.LinkFor(address, UnsubscribeLinks.WelcomeList);
        var rendered = await _renderer.RenderAsync(Template, new WelcomeModel(name, email, _showDeveloperLinks, link.AbsoluteUri), cancellationToken);
        var message = new Message(
            subject: rendered.Subject,
            recipients: [email],
            body: rendered.Text,
            html: rendered.Html);
        message.SetListUnsubscribe(link, _links.MailToFor(address, UnsubscribeLinks.WelcomeList));
        return message;
    }
}
