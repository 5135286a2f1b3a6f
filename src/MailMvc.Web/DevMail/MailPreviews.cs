using System.Globalization;
using System.Text;
using MailMvc.Templates;
using MailMvc.Templates.Lint;
using MailMvc.Web.Compose;
using MailMvc.Web.Unsubscribe;
using MailMvc.Web.Welcome;

namespace MailMvc.Web.DevMail;

/// <summary>Every template's preview cases, defined in code with sample models. Add a case here when you
/// add a template: the preview page warns about a template without one, and a test fails.</summary>
public static class MailPreviews
{
    /// <summary>This file, as the preview page names it to a developer.</summary>
    public const string SourceFile = "src/MailMvc.Web/DevMail/MailPreviews.cs";

    private const string MarkdownSample =
        "# Friday\n\n- **12:00** lunch\n- 13:00 a walk\n\nThe menu: [our menu](https://example.com/menu)\n\n<b>typed HTML stays text</b>\n";

    public static IReadOnlyList<MailPreviewCase> All { get; } =
    [
        MailPreviewCase.For("Welcome", "default", "A new user with a plain name.", new WelcomeModel("Ada Lovelace", "ada@example.com"), "ada@example.com"),
        MailPreviewCase.For("Welcome", "special-characters", "A name with characters HTML must encode.", new WelcomeModel("Tom & Jerry <b>", "tom@example.com"), "tom@example.com"),
        MailPreviewCase.For("Welcome", "long-name", "A very long name, to check wrapping on a phone.",
            new WelcomeModel("Maria Magdalena Josefina Alexandrina von Hohenzollern-Sigmaringen", "maria@example.com"), "maria@example.com"),
        MailPreviewCase.ForList("Welcome", "from-a-list", "A row of a welcome list: bulk mail, with the one-click unsubscribe link.",
            UnsubscribeLinks.WelcomeList, link => new WelcomeModel("Ada Lovelace", "ada@example.com", UnsubscribeUrl: link), "ada@example.com"),
        MailPreviewCase.For("Compose", "default", "A short message typed on the compose page.",
            new ComposeModel("Lunch on Friday?", "Hi Sam,\n\nShall we have lunch on Friday at noon?\nThe menu: https://example.com/menu\n\nAda"), "sam@example.com") with
        {
            Attachments = [("agenda.txt", "text/plain", Encoding.UTF8.GetBytes("12:00 lunch\n13:00 walk\n"))],
        },
        MailPreviewCase.For("Compose", "markdown", "A message written in Markdown, with HTML typed as text.",
            new ComposeModel("Plans for Friday", MarkdownSample, ComposeMarkdown.ToHtml(MarkdownSample)), "sam@example.com"),
    ];

    /// <summary>Every case, for <see cref="EmailLint.LintAllAsync"/>: the test suite lints them all and fails on an
    /// error.</summary>
    public static IEnumerable<EmailLintCase> LintCases(IEmailTemplateCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var cultures = catalog.GetTemplates().ToDictionary(t => t.Name, t => t.Cultures, StringComparer.OrdinalIgnoreCase);
        foreach (var previewCase in All)
        {
            yield return new EmailLintCase(previewCase.Template, previewCase.Name, (renderer, token) => previewCase.Render(renderer, null, token));
            foreach (var culture in cultures.GetValueOrDefault(previewCase.Template) ?? [])
            {
                yield return new EmailLintCase(previewCase.Template, $"{previewCase.Name} ({culture})",
                    (renderer, token) => previewCase.Render(renderer, CultureInfo.GetCultureInfo(culture), token));
            }
        }
    }

    /// <summary>The cases of <paramref name="template"/>; none when it has no case yet.</summary>
    public static IReadOnlyList<MailPreviewCase> For(string template) =>
        All.Where(c => c.Template.Equals(template, StringComparison.OrdinalIgnoreCase)).ToList();

    public static MailPreviewCase? Find(string template, string name) =>
        For(template).FirstOrDefault(c => c.Name.Equals(name, StringComparison.OrdinalIgnoreCase));
}
