using MailMvc.Mail;
using MailMvc.Templates;
using MailMvc.Web.Infrastructure;
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

    /// <summary>The welcome mail for one person who signed up, in the template's own language.</summary>
    public Task<Message> CreateAsync(string name, string email, CancellationToken cancellationToken) =>
        CreateAsync(name, email, locale: null, cancellationToken);

    /// <summary>The welcome mail in <paramref name="locale"/> (<c>de</c>: <c>Welcome.de.cshtml</c>), falling back to the
    /// template's own language; null or empty for that.</summary>
    /// <exception cref="ArgumentException"><paramref name="locale"/> is not a language code (validate it first).</exception>
    public async Task<Message> CreateAsync(string name, string email, string? locale, CancellationToken cancellationToken)
    {
        var rendered = await _renderer.RenderAsync(Template, new WelcomeModel(name, email, _showDeveloperLinks), Culture(locale), cancellationToken);
        return new Message(
            subject: rendered.Subject,
            recipients: [email],
            body: rendered.Text,
            html: rendered.Html);
    }

    /// <summary>The welcome mail for one row of a list, in <paramref name="locale"/>: bulk mail, with the one-click
    /// unsubscribe headers (<c>List-Unsubscribe</c>, <c>List-Unsubscribe-Post</c>) and the same link visible in both parts.</summary>
    /// <exception cref="ArgumentException"><paramref name="locale"/> is not a language code (validate it first).</exception>
    public async Task<Message> CreateForListAsync(string name, string email, string? locale, CancellationToken cancellationToken)
    {
        var address = new EmailAddress(email).ToMailboxAddress().Address;
        var link = _links.LinkFor(address, UnsubscribeLinks.WelcomeList);
        var rendered = await _renderer.RenderAsync(Template, new WelcomeModel(name, email, _showDeveloperLinks, link.AbsoluteUri), Culture(locale),
            cancellationToken);
        var message = new Message(
            subject: rendered.Subject,
            recipients: [email],
            body: rendered.Text,
            html: rendered.Html);
        message.SetListUnsubscribe(link, _links.MailToFor(address, UnsubscribeLinks.WelcomeList));
        return message;
    }

    private static System.Globalization.CultureInfo? Culture(string? locale) =>
        MailLocale.TryParse(locale, out var culture) ? culture
            : throw new ArgumentException($"'{locale}' is not a language code such as de or fr-CA.", nameof(locale));
}
