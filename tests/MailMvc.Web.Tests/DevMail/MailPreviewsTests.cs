using System.Globalization;
using MailMvc.Templates.Lint;
using MailMvc.Web.DevMail;
using MailMvc.Web.Tests.Templates;

namespace MailMvc.Web.Tests.DevMail;

/// <summary>The preview cases against the app's real templates and renderer.</summary>
[Collection(EmailTemplatesCollection.Name)]
public sealed class MailPreviewsTests(EmailTemplatesFixture fixture)
{
    [Fact]
    public void MailPreviews_EveryTemplateInTheFolder_HasAPreviewCase()
    {
        var withoutCase = fixture.Catalog.GetTemplates()
            .Select(template => template.Name)
            .Where(name => MailPreviews.For(name).Count == 0)
            .ToList();

        Assert.True(withoutCase.Count == 0,
            $"No preview case for {string.Join(", ", withoutCase)}: add one in {MailPreviews.SourceFile}.");
    }

    [Fact]
    public async Task MailPreviews_EveryCaseInEveryShippedLocale_RendersThatLocalesVariant()
    {
        var cultures = fixture.Catalog.GetTemplates().ToDictionary(t => t.Name, t => t.Cultures);
        var rendered = 0;
        foreach (var previewCase in MailPreviews.All)
        {
            foreach (var locale in cultures[previewCase.Template].Prepend(""))
            {
                var culture = locale.Length == 0 ? null : CultureInfo.GetCultureInfo(locale);
                var email = await previewCase.Render(fixture.Renderer, culture, CancellationToken.None);
                var what = $"{previewCase.Template}/{previewCase.Name} in '{locale}'";

                Assert.False(string.IsNullOrWhiteSpace(email.Subject), $"{what} has no subject.");
                Assert.False(string.IsNullOrWhiteSpace(email.Text), $"{what} has no text part.");
                Assert.Equal(locale, email.Culture);
                Assert.Contains($"<html lang=\"{(locale.Length == 0 ? "en" : locale)}\"", email.Html, StringComparison.Ordinal);
                rendered++;
            }
        }

        Assert.True(rendered >= MailPreviews.All.Count + 2 * 3, $"Only {rendered} renders: the Welcome cases should render in de and fr too.");
    }

    [Theory]
    [InlineData("de", "Willkommen bei MailMvc, Ada Lovelace")]
    [InlineData("de-CH", "Willkommen bei MailMvc, Ada Lovelace")]
    [InlineData("fr", "Bienvenue sur MailMvc, Ada Lovelace")]
    [InlineData("es", "Welcome to MailMvc, Ada Lovelace")]
    public async Task WelcomeDefaultCase_Locale_HasThatLanguagesSubject(string locale, string subject)
    {
        var email = await MailPreviews.Find("Welcome", "default")!.Render(fixture.Renderer, CultureInfo.GetCultureInfo(locale), CancellationToken.None);

        Assert.Equal(subject, email.Subject);
    }

    [Fact]
    public async Task MailPreviews_EveryCaseOfEveryTemplateInEveryShippedLocale_HasNoLintError()
    {
        var reports = await new EmailLint().LintAllAsync(fixture.Renderer, MailPreviews.LintCases(fixture.Catalog));

        var cultures = fixture.Catalog.GetTemplates().ToDictionary(t => t.Name, t => t.Cultures.Count);
        Assert.Equal(MailPreviews.All.Sum(c => 1 + cultures[c.Template]), reports.Count);
        var failing = reports.Where(report => report.HasErrors).ToList();
        Assert.True(failing.Count == 0, string.Join(Environment.NewLine, failing));
    }
}
