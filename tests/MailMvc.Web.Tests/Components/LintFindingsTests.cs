using Bunit;
using MailMvc.Templates.Lint;
using MailMvc.Web.Components;

namespace MailMvc.Web.Tests.Components;

public sealed class LintFindingsTests : BunitContext
{
    [Fact]
    public void Render_ErrorsAndWarnings_SummarisesAndListsEachWithItsSentence()
    {
        EmailLintFinding[] findings =
        [
            new(EmailLintSeverity.Error, "image-alt", "The image \"a.png\" has no alt text."),
            new(EmailLintSeverity.Warning, "link-http", "The link \"b\" uses http:."),
        ];

        var list = Render<LintFindings>(p => p.Add(c => c.Findings, findings));

        Assert.StartsWith("1 error and 1 warning", list.Find(".lint-summary").TextContent, StringComparison.Ordinal);
        list.Find("ul.lint-list").MarkupMatches("""
            <ul class="lint-list">
              <li class="lint-finding error" data-rule="image-alt"><strong>Error</strong> <span>The image "a.png" has no alt text.</span></li>
              <li class="lint-finding warning" data-rule="link-http"><strong>Warning</strong> <span>The link "b" uses http:.</span></li>
            </ul>
            """);
    }

    [Fact]
    public void Render_NoFindings_SaysSo()
    {
        var list = Render<LintFindings>(p => p.Add(c => c.Findings, Array.Empty<EmailLintFinding>()));

        Assert.Contains("No lint findings", list.Find("p.lint-ok").TextContent, StringComparison.Ordinal);
        Assert.Empty(list.FindAll("li"));
    }
}
