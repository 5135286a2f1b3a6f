namespace MailMvc.Templates.Css;

/// <summary>One selector of a style rule with the rule's declarations, and where the rule stood in the sheet.</summary>
internal sealed record InlineRule(CssSelector Selector, IReadOnlyList<CssDeclaration> Declarations, int Order);
