namespace MailMvc.Templates.Lint;

/// <summary>What <see cref="EmailLint"/> found in one case of one template.</summary>
/// <param name="Template">The template's name.</param>
/// <param name="Case">The case's name.</param>
/// <param name="Findings">Everything found, errors first.</param>
public sealed record EmailLintReport(string Template, string Case, IReadOnlyList<EmailLintFinding> Findings)
{
    /// <summary>The findings that break the mail.</summary>
    public IEnumerable<EmailLintFinding> Errors => Findings.Where(finding => finding.Severity == EmailLintSeverity.Error);

    /// <summary>True when there is at least one error.</summary>
    public bool HasErrors => Errors.Any();

    /// <summary>One line per finding, each starting with <c>Template/Case</c>, for a test's failure message.</summary>
    public override string ToString() =>
        Findings.Count == 0 ? $"{Template}/{Case}: no findings" : string.Join(Environment.NewLine, Findings.Select(f => $"{Template}/{Case}: {f}"));
}
