using MailMvc.Templates;
using MailMvc.Templates.Lint;
using Xunit;

namespace MailMvc.Samples.Templates;

/// <summary>The lint in a test suite of yours.</summary>
public static class LintSamples
{
    /// <summary>Renders every sample of every template and fails on any lint error, listing them all.</summary>
    public static async Task EveryTemplateHasNoLintErrorAsync(IEmailRenderer renderer, EmailLint lint)
    {
        ArgumentNullException.ThrowIfNull(renderer);
        ArgumentNullException.ThrowIfNull(lint);
        // <snippet:templates-lint-test>
        // renderer and lint from your app's container (AddEmailTemplates registers EmailLint), or new EmailLint()
        var reports = await lint.LintAllAsync(renderer,
        [
            EmailLintCase.For("OrderShipped", "default", new OrderShippedModel("Ada", "A-1042")),
            EmailLintCase.For("OrderShipped", "long-name", new OrderShippedModel(new string('W', 120), "A-1042")),
        ]);
        var failing = reports.Where(report => report.HasErrors).ToList();
        Assert.True(failing.Count == 0, string.Join(Environment.NewLine, failing));   // one line per finding, with its template and case
        // </snippet:templates-lint-test>
    }
}
