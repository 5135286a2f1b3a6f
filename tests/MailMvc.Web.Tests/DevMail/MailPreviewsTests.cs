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
    public async Task MailPreviews_EveryCase_Renders()
    {
        foreach (var previewCase in MailPreviews.All)
        {
            var rendered = await previewCase.Render(fixture.Renderer, CancellationToken.None);

            Assert.False(string.IsNullOrWhiteSpace(rendered.Subject), $"{previewCase.Template}/{previewCase.Name} has no subject.");
        }
    }

    [Fact]
    public async Task MailPreviews_EveryCaseOfEveryTemplate_HasNoLintError()
    {
        var reports = await new EmailLint().LintAllAsync(fixture.Renderer, MailPreviews.LintCases);

        Assert.Equal(MailPreviews.All.Count, reports.Count);
        var failing = reports.Where(report => report.HasErrors).ToList();
        Assert.True(failing.Count == 0, string.Join(Environment.NewLine, failing));
    }
}
