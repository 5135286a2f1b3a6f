using System.Text;
using MailMvc.Templates.Models;

namespace MailMvc.Web.DevMail;

/// <summary>Every template's preview cases, defined in code with sample models. Add a case here when you
/// add a template.</summary>
public static class MailPreviews
{
    public static IReadOnlyList<MailPreviewCase> All { get; } =
    [
        MailPreviewCase.For("Welcome", "default", "A new user with a plain name.", new WelcomeModel("Ada Lovelace", "ada@example.com"), "ada@example.com"),
        MailPreviewCase.For("Welcome", "special-characters", "A name with characters HTML must encode.", new WelcomeModel("Tom & Jerry <b>", "tom@example.com"), "tom@example.com"),
        MailPreviewCase.For("Welcome", "long-name", "A very long name, to check wrapping on a phone.",
            new WelcomeModel("Maria Magdalena Josefina Alexandrina von Hohenzollern-Sigmaringen", "maria@example.com"), "maria@example.com"),
        MailPreviewCase.For("Compose", "default", "A short message typed on the compose page.",
            new ComposeModel("Lunch on Friday?", "Hi Sam,\n\nShall we have lunch on Friday at noon?\nThe menu: https://example.com/menu\n\nAda"), "sam@example.com") with
        {
            Attachments = [("agenda.txt", "text/plain", Encoding.UTF8.GetBytes("12:00 lunch\n13:00 walk\n"))],
        },
    ];

    public static MailPreviewCase? Find(string template, string name) =>
        All.FirstOrDefault(c => c.Template.Equals(template, StringComparison.OrdinalIgnoreCase) && c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
