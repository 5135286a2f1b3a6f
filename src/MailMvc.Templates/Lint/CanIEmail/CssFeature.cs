using System.Text.RegularExpressions;

namespace MailMvc.Templates.Lint.CanIEmail;

/// <summary>One CSS feature of the caniemail data set, how to recognise it, and which clients support it.</summary>
/// <param name="Slug">The data set's id (<c>css-border-radius</c>).</param>
/// <param name="Title">Its title (<c>border-radius</c>).</param>
/// <param name="Url">Its caniemail.com page.</param>
/// <param name="Kind">How it shows in CSS.</param>
/// <param name="Names">The properties, functions, units, at-rules, media features, pseudo-classes or value keywords
/// that are this feature (lower case, without <c>@</c>, <c>:</c> or <c>()</c>).</param>
/// <param name="Value">For <see cref="CssFeatureKind.PropertyValue"/>, the value (<c>flex</c>).</param>
/// <param name="Support">Per client (<c>outlook.windows</c>), the newest version's support: <c>y</c>, <c>a</c>
/// (partly), <c>n</c> or <c>u</c> (unknown).</param>
internal sealed partial record CssFeature(string Slug, string Title, string Url, CssFeatureKind Kind, IReadOnlyList<string> Names,
    string? Value, IReadOnlyDictionary<string, char> Support)
{
    /// <summary>Reads a feature from its title (and, for groups of properties, its keywords); null for what is not
    /// seen in CSS text (comments, nesting, the <c>inert</c> attribute) or not told apart (descendant combinators).</summary>
    public static CssFeature? Create(string slug, string title, string keywords, string url, IReadOnlyDictionary<string, char> support)
    {
        CssFeature Make(CssFeatureKind kind, IEnumerable<string> names, string? value = null) =>
            new(slug, title, url, kind, names.Select(n => n.Trim().ToLowerInvariant()).Where(n => n.Length > 0).Distinct().ToList(), value, support);

        var words = keywords.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        switch (slug)
        {
            case "css-important":
                return Make(CssFeatureKind.Important, ["important"]);
            case "css-variables":
                return Make(CssFeatureKind.Variables, ["var"]);
            case "css-intrinsic-size" or "css-sytem-ui":
                return Make(CssFeatureKind.ValueKeyword, title.Split(','));
            case "css-unit-calc":
                return Make(CssFeatureKind.Function, ["calc"]);
            case "css-unit-initial":
                return Make(CssFeatureKind.ValueKeyword, ["initial"]);
            case "css-selector-attribute" or "css-selector-id" or "css-selector-universal" or "css-selector-child"
                or "css-selector-adjacent-sibling" or "css-selector-general-sibling":
                return Make(CssFeatureKind.Selector, [slug["css-selector-".Length..]]);
            case "css-comments" or "css-nesting" or "css-inert-attribute" or "css-selector-class" or "css-selector-type"
                or "css-selector-descendant" or "css-selector-chaining" or "css-selector-grouping":
                return null;
        }

        if (slug.StartsWith("css-pseudo-", StringComparison.Ordinal))
        {
            return Make(CssFeatureKind.Pseudo, [title.Trim(':').Replace("()", "", StringComparison.Ordinal)]);
        }

        if (slug.StartsWith("css-unit-", StringComparison.Ordinal) && title.EndsWith(" unit", StringComparison.Ordinal))
        {
            return Make(CssFeatureKind.Unit, [title[..^" unit".Length]]);
        }

        if (slug.StartsWith("css-at-media-", StringComparison.Ordinal))
        {
            return Make(CssFeatureKind.MediaFeature, MediaFeatureName().Matches(title).Select(m => m.Groups[1].Value));
        }

        if (title.StartsWith('@'))
        {
            return Make(CssFeatureKind.AtRule, [title[1..]]);
        }

        if (title.EndsWith("()", StringComparison.Ordinal) || title.Contains("(),", StringComparison.Ordinal))
        {
            return Make(CssFeatureKind.Function, title.Split(',').Select(f => f.Trim().TrimEnd(')').TrimEnd('(')));
        }

        if (PropertyWithValue().Match(title) is { Success: true } pair)
        {
            return Make(CssFeatureKind.PropertyValue, [pair.Groups[1].Value], pair.Groups[2].Value.ToLowerInvariant());
        }

        var name = title.Replace(" CSS property", "", StringComparison.Ordinal).Replace(" property", "", StringComparison.Ordinal)
            .Replace(" shorthand", "", StringComparison.Ordinal).Trim();
        if (PropertyList().IsMatch(name))
        {
            // One property (with its longhands among the keywords: margin-top for margin), or a list of them.
            var names = name.Split(',', StringSplitOptions.TrimEntries);
            var longhands = names.Length == 1 ? words.Where(w => w.StartsWith(names[0] + "-", StringComparison.Ordinal)) : [];
            return Make(CssFeatureKind.Property, names.Concat(longhands));
        }

        if (title.Contains('&', StringComparison.Ordinal) || title.Contains("properties", StringComparison.Ordinal))
        {
            return Make(CssFeatureKind.Property, words.Where(w => PropertyList().IsMatch(w)));
        }

        return null;
    }

    /// <summary>The clients of <paramref name="targets"/> whose newest version does not support this feature.</summary>
    public IEnumerable<string> UnsupportedBy(IEnumerable<string> targets) =>
        targets.Where(target => Support.TryGetValue(target, out var value) && value == 'n');

    [GeneratedRegex(@"\(\s*([a-z-]+)\s*\)")]
    private static partial Regex MediaFeatureName();

    [GeneratedRegex(@"^([a-z-]+)\s*:\s*([a-z-]+)$")]
    private static partial Regex PropertyWithValue();

    [GeneratedRegex(@"^[a-z-]+(, [a-z-]+)*$")]
    private static partial Regex PropertyList();
}
