using MailMvc.Templates.Lint;
using MailMvc.Templates.Tests.Models;

namespace MailMvc.Templates.Tests.Lint;

[Collection(SampleTemplatesCollection.Name)]
public sealed class EmailLintTests(SampleTemplatesFixture fixture)
{
    private static readonly EmailLint s_lint = new();

    [Fact]
    public async Task Lint_TemplateWithMissingAltHttpLinkAnd110Kb_FailsWithThreeFindings()
    {
        var email = await fixture.Renderer.RenderAsync("Newsletter", new NewsletterModel(Kilobytes: 110));

        var findings = s_lint.Lint(email);

        Assert.Equal(["image-alt", "link-http", "size"], findings.Select(f => f.Rule).Order());
        Assert.Contains(findings, f => f is { Rule: "size", Severity: EmailLintSeverity.Error } && f.Message.Contains("Gmail clips", StringComparison.Ordinal));
        Assert.Contains(findings, f => f is { Rule: "image-alt", Severity: EmailLintSeverity.Error } && f.Message.Contains("banner.png", StringComparison.Ordinal));
        Assert.Contains(findings, f => f is { Rule: "link-http", Severity: EmailLintSeverity.Warning } && f.Message.Contains("http://news.example.test/archive", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Lint_SameTemplateSmall_FindsNoSizeProblem()
    {
        var email = await fixture.Renderer.RenderAsync("Newsletter", new NewsletterModel(Kilobytes: 1));

        var findings = s_lint.Lint(email);

        Assert.DoesNotContain(findings, f => f.Rule == "size");
    }

    [Fact]
    public void Lint_HtmlBetween90And102Kb_WarnsOfClipping()
    {
        var findings = s_lint.Lint(Mail($"<p>{new string('x', 95 * 1024)}</p>"));

        var size = Assert.Single(findings, f => f.Rule == "size");
        Assert.Equal(EmailLintSeverity.Warning, size.Severity);
    }

    [Fact]
    public void Lint_CleanMail_FindsNothing()
    {
        var findings = s_lint.Lint(new RenderedEmail("Hi",
            """<p style="color:#111827;">Hello <img src="https://example.test/a.png" alt="A"> <a href="https://example.test/go">Go</a></p>""",
            "Hello\n\nGo: https://example.test/go"));

        Assert.Empty(findings);
    }

    [Fact]
    public void Lint_EmptyJavascriptAndRelativeLinks_AreErrors()
    {
        var findings = s_lint.Lint(Mail("""<a href="">a</a> <a href="javascript:alert(1)">b</a> <a href="/account">c</a>"""));

        Assert.Equal(["link-empty", "link-javascript", "link-relative"], findings.Select(f => f.Rule).Order());
        Assert.All(findings, f => Assert.Equal(EmailLintSeverity.Error, f.Severity));
    }

    [Fact]
    public void Lint_LinkMissingFromTextPart_WarnsNamingTheAddress()
    {
        var findings = s_lint.Lint(new RenderedEmail("Hi", """<a href="https://example.test/offer">Offer</a>""", "Hello"));

        var finding = Assert.Single(findings);
        Assert.Equal("link-not-in-text", finding.Rule);
        Assert.Contains("https://example.test/offer", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lint_HttpLinkToLocalhost_IsNoFinding()
    {
        var findings = s_lint.Lint(new RenderedEmail("Hi", """<a href="http://localhost:5080/compose">Compose</a>""", "http://localhost:5080/compose"));

        Assert.Empty(findings);
    }

    [Fact]
    public void Lint_NoTextPart_IsAnError()
    {
        var findings = s_lint.Lint(new RenderedEmail("Hi", "<p>Hello</p>", ""));

        var finding = Assert.Single(findings);
        Assert.Equal(("text-missing", EmailLintSeverity.Error), (finding.Rule, finding.Severity));
    }

    [Fact]
    public void Lint_CssOutlookOnWindowsIgnores_WarnsNamingFeatureClientAndPage()
    {
        var findings = s_lint.Lint(Mail("""
            <style>@media (max-width: 600px) { .a { padding: 0; } } a:hover { color: red; }</style>
            <div style="border-radius:6px;background-color:#4f46e5;">x</div>
            """));

        var radius = Assert.Single(findings, f => f.Message.StartsWith("border-radius ", StringComparison.Ordinal));
        Assert.Equal(("css-unsupported", EmailLintSeverity.Warning), (radius.Rule, radius.Severity));
        Assert.Contains("Outlook Windows", radius.Message, StringComparison.Ordinal);
        Assert.Contains("https://www.caniemail.com/features/css-border-radius/", radius.Message, StringComparison.Ordinal);
        Assert.Contains(findings, f => f.Message.StartsWith("@media ", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.StartsWith(":hover ", StringComparison.Ordinal));
        Assert.DoesNotContain(findings, f => f.Message.StartsWith("background-color", StringComparison.Ordinal));
    }

    [Fact]
    public void Lint_TargetsWithoutOutlook_DoNotFlagWhatOnlyOutlookIgnores()
    {
        var options = new EmailLintOptions();
        options.TargetClients.Add("apple-mail.macos");
        options.TargetClients.Add("gmail.desktop-webmail");

        var findings = new EmailLint(options).Lint(Mail("""<div style="border-radius:6px;">x</div>"""));

        Assert.Empty(findings);
    }

    [Fact]
    public void Lint_PrefersColorSchemeWithDefaultTargets_NamesGmail()
    {
        var findings = s_lint.Lint(Mail("<style>@media (prefers-color-scheme: dark) { .a { color: #fff; } }</style>"));

        Assert.Contains(findings, f => f.Message.StartsWith("@media (prefers-color-scheme) does not work in Gmail Desktop Webmail", StringComparison.Ordinal));
    }

    [Fact]
    public void Create_UnknownTargetClient_ThrowsListingKnownNames()
    {
        var options = new EmailLintOptions();
        options.TargetClients.Add("outlook.windowz");

        var exception = Assert.Throws<ArgumentException>(() => new EmailLint(options));

        Assert.Contains("outlook.windowz", exception.Message, StringComparison.Ordinal);
        Assert.Contains("outlook.windows", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LintAllAsync_CasesWithAMissingTemplate_ReportsEachCaseAndTheRenderError()
    {
        EmailLintCase[] cases =
        [
            EmailLintCase.For("Greeting", "default", new GreetingModel("Ada", "ada@example.com")),
            EmailLintCase.For("Newsletter", "huge", new NewsletterModel(Kilobytes: 110)),
            EmailLintCase.For("Missing", "default", new GreetingModel("Ada", "ada@example.com")),
        ];

        var reports = await s_lint.LintAllAsync(fixture.Renderer, cases);

        Assert.Equal(["Greeting/default", "Newsletter/huge", "Missing/default"], reports.Select(r => $"{r.Template}/{r.Case}"));
        Assert.Equal([false, true, true], reports.Select(r => r.HasErrors));
        Assert.Equal("render", Assert.Single(reports[2].Findings).Rule);
        Assert.Contains("Newsletter/huge: error size:", reports[1].ToString(), StringComparison.Ordinal);
    }

    private static RenderedEmail Mail(string html) => new("Hi", html, "Hello");
}
