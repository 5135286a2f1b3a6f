using System.Text.RegularExpressions;
using MailMvc.Templates.Css;

namespace MailMvc.Templates.Lint.CanIEmail;

/// <summary>What a mail's CSS uses (its <c>style</c> attributes and <c>&lt;style&gt;</c> blocks), in the terms
/// <see cref="CssFeature"/> is described in.</summary>
internal sealed partial class CssUsage
{
    private readonly HashSet<string> _properties = new(StringComparer.Ordinal);
    private readonly HashSet<(string Property, string Value)> _propertyValues = [];
    private readonly HashSet<string> _valueKeywords = new(StringComparer.Ordinal);
    private readonly HashSet<string> _functions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _units = new(StringComparer.Ordinal);
    private readonly HashSet<string> _atRules = new(StringComparer.Ordinal);
    private readonly HashSet<string> _mediaFeatures = new(StringComparer.Ordinal);
    private readonly HashSet<string> _pseudos = new(StringComparer.Ordinal);
    private readonly HashSet<string> _selectors = new(StringComparer.Ordinal);
    private bool _important;
    private bool _variables;

    public void AddDeclarations(IEnumerable<CssDeclaration> declarations)
    {
        foreach (var declaration in declarations)
        {
            _properties.Add(declaration.Property);
            _important |= declaration.Important;
            var value = declaration.Value.ToLowerInvariant();
            _variables |= declaration.Property.StartsWith("--", StringComparison.Ordinal) || value.Contains("var(", StringComparison.Ordinal);
            var words = Word().Matches(value).Select(m => m.Value).ToList();
            if (words.Count > 0)
            {
                _propertyValues.Add((declaration.Property, words[0]));
            }

            _valueKeywords.UnionWith(words);
            _functions.UnionWith(Function().Matches(value).Select(m => m.Groups[1].Value));
            _units.UnionWith(Unit().Matches(value).Select(m => m.Groups[1].Value));
        }
    }

    public void AddSheet(IEnumerable<CssRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.AtKeyword is { } keyword)
            {
                _atRules.Add(keyword);
                if (keyword == "media")
                {
                    _mediaFeatures.UnionWith(MediaFeature().Matches(rule.Prelude.ToLowerInvariant()).Select(m => m.Groups[1].Value));
                }
            }

            if (rule.Selector is { } selector)
            {
                AddSelector(selector.ToLowerInvariant());
            }

            AddDeclarations(rule.Declarations);
            AddSheet(rule.Rules);
        }
    }

    /// <summary>True when the CSS uses <paramref name="feature"/>.</summary>
    public bool Uses(CssFeature feature) => feature.Kind switch
    {
        CssFeatureKind.Property => feature.Names.Any(_properties.Contains),
        CssFeatureKind.PropertyValue => _propertyValues.Contains((feature.Names[0], feature.Value!)),
        CssFeatureKind.ValueKeyword => feature.Names.Any(_valueKeywords.Contains),
        CssFeatureKind.Function => feature.Names.Any(_functions.Contains),
        CssFeatureKind.Unit => feature.Names.Any(_units.Contains),
        CssFeatureKind.AtRule => feature.Names.Any(_atRules.Contains),
        CssFeatureKind.MediaFeature => feature.Names.Any(_mediaFeatures.Contains),
        CssFeatureKind.Pseudo => feature.Names.Any(_pseudos.Contains),
        CssFeatureKind.Selector => feature.Names.Any(_selectors.Contains),
        CssFeatureKind.Important => _important,
        CssFeatureKind.Variables => _variables,
        _ => false,
    };

    private void AddSelector(string selector)
    {
        _pseudos.UnionWith(Pseudo().Matches(selector).Select(m => m.Groups[1].Value));
        var outsideBrackets = Brackets().Replace(selector, " ");
        if (selector.Contains('[', StringComparison.Ordinal))
        {
            _selectors.Add("attribute");
        }

        if (outsideBrackets.Contains('#', StringComparison.Ordinal))
        {
            _selectors.Add("id");
        }

        if (outsideBrackets.Contains('*', StringComparison.Ordinal))
        {
            _selectors.Add("universal");
        }

        if (outsideBrackets.Contains('>', StringComparison.Ordinal))
        {
            _selectors.Add("child");
        }

        if (outsideBrackets.Contains('+', StringComparison.Ordinal))
        {
            _selectors.Add("adjacent-sibling");
        }

        if (outsideBrackets.Contains('~', StringComparison.Ordinal))
        {
            _selectors.Add("general-sibling");
        }
    }

    [GeneratedRegex(@"[a-z][a-z0-9-]*")]
    private static partial Regex Word();

    [GeneratedRegex(@"([a-z-]+)\(")]
    private static partial Regex Function();

    [GeneratedRegex(@"(?<![a-z0-9#.])(?:\d*\.)?\d+([a-z]+|%)")]
    private static partial Regex Unit();

    [GeneratedRegex(@"\(\s*([a-z-]+)")]
    private static partial Regex MediaFeature();

    [GeneratedRegex(@"::?([a-z-]+)")]
    private static partial Regex Pseudo();

    [GeneratedRegex(@"\[[^\]]*\]|\([^)]*\)")]
    private static partial Regex Brackets();
}
