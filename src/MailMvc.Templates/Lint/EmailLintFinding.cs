namespace MailMvc.Templates.Lint;

/// <summary>One problem <see cref="EmailLint"/> found in a rendered mail.</summary>
/// <param name="Severity">Whether it breaks the mail (<see cref="EmailLintSeverity.Error"/>) or deserves a look.</param>
/// <param name="Rule">Which check found it: <c>size</c>, <c>image-alt</c>, <c>link-empty</c>, <c>link-javascript</c>,
/// <c>link-http</c>, <c>link-relative</c>, <c>link-not-in-text</c>, <c>text-missing</c> or <c>css-unsupported</c>.</param>
/// <param name="Message">What is wrong and what to do about it, in a sentence a designer can act on.</param>
public sealed record EmailLintFinding(EmailLintSeverity Severity, string Rule, string Message)
{
    /// <summary>The finding as one line: <c>error image-alt: …</c>.</summary>
    public override string ToString() => $"{(Severity == EmailLintSeverity.Error ? "error" : "warning")} {Rule}: {Message}";
}
