using MailMvc.Mail;
using MailMvc.Templates;
using MailMvc.Web.Infrastructure;

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

    public Task<Message> CreateAsync(string name, string email, CancellationToken cancellationToken) =>
        CreateAsync(name, email, locale: null, cancellationToken);

    /// <summary>The welcome mail in <paramref name="locale"/> (<c>de</c>: <c>Welcome.de.cshtml</c>), falling back to the
    /// template's own language; null or empty for that.</summary>
    /// <exception cref="ArgumentException"><paramref name="locale"/> is not a language code (validate it first).</exception>
    public async Task<Message> CreateAsync(string name, string email, string? locale, CancellationToken cancellationToken)
    {
        if (!MailLocale.TryParse(locale, out var culture))
        {
            throw new ArgumentException($"'{locale}' is not a language code such as de or fr-CA.", nameof(locale));
        }

        var rendered = await _renderer.RenderAsync(Template, new WelcomeModel(name, email, _showDeveloperLinks), culture, cancellationToken);
        return new Message(
            subject: rendered.Subject,
            recipients: [email],
            body: rendered.Text,
            html: rendered.Html);
    }
}
