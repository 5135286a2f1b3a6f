namespace MailMvc.Templates.Css;

/// <summary>
/// A rule of a stylesheet: a style rule (<see cref="Selector"/> and its <see cref="Declarations"/>) or an at-rule
/// (<see cref="AtKeyword"/>, its <see cref="Prelude"/> and, for <c>@media</c> and <c>@supports</c>, the
/// <see cref="Rules"/> inside). <see cref="Text"/> is the rule as written, so it can be kept as it was.
/// </summary>
internal sealed class CssRule
{
    public string? Selector { get; init; }

    public IReadOnlyList<CssDeclaration> Declarations { get; init; } = [];

    /// <summary>The at-rule's name in lower case, without the <c>@</c> (<c>media</c>); null for a style rule.</summary>
    public string? AtKeyword { get; init; }

    /// <summary>What stands between the at-rule's name and its block or semicolon.</summary>
    public string Prelude { get; init; } = string.Empty;

    public IReadOnlyList<CssRule> Rules { get; init; } = [];

    public required string Text { get; init; }
}
