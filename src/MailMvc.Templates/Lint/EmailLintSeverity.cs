namespace MailMvc.Templates.Lint;

/// <summary>How much an <see cref="EmailLintFinding"/> matters.</summary>
public enum EmailLintSeverity
{
    /// <summary>Worth a look: some readers will see the mail differently, or the mail nears a limit.</summary>
    Warning,

    /// <summary>The mail breaks for some readers (clipped, unreadable with images off, a dead link): fix it before
    /// sending. Test suites fail on these.</summary>
    Error,
}
