using System.Runtime.CompilerServices;

namespace MailMvc.Templates.Css;

/// <summary>
/// A selector the inliner can apply without a browser: compounds of a type (or <c>*</c>), <c>#id</c>, <c>.class</c>
/// and <c>[attribute]</c> / <c>[attribute=value]</c>, joined by descendant (space) or child (<c>&gt;</c>) combinators.
/// Anything else (pseudo-classes, sibling combinators) cannot be decided from the markup alone, so such a rule stays
/// in the <c>&lt;style&gt;</c> block.
/// </summary>
internal sealed class CssSelector
{
    private readonly Compound[] _compounds;

    /// <summary>The combinator before each compound but the first: ' ' (descendant) or '&gt;' (child).</summary>
    private readonly char[] _combinators;

    private CssSelector(Compound[] compounds, char[] combinators)
    {
        _compounds = compounds;
        _combinators = combinators;
        Specificity = compounds.Aggregate(0, (sum, c) => sum + (c.Id is null ? 0 : 10_000) + (100 * (c.Classes.Length + c.Attributes.Length)) + (c.Type is null ? 0 : 1));
    }

    /// <summary>True when a compound selects by an attribute (<c>[align=center]</c>).</summary>
    public bool UsesAttributes => _compounds.Any(compound => compound.Attributes.Length > 0);

    /// <summary>(ids, classes and attributes, types) as one comparable number.</summary>
    public int Specificity { get; }

    /// <summary>The selectors of a selector list (<c>a, .b td</c>); null when any of them cannot be inlined.</summary>
    public static IReadOnlyList<CssSelector>? ParseList(string selectorList)
    {
        var selectors = new List<CssSelector>();
        foreach (var part in selectorList.Split(','))
        {
            if (Parse(part.Trim()) is not { } selector)
            {
                return null;
            }

            selectors.Add(selector);
        }

        return selectors.Count == 0 ? null : selectors;
    }

    /// <summary>True when <paramref name="element"/>, below <paramref name="ancestors"/> (the root first), matches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool Matches(HtmlElementInfo element, IReadOnlyList<HtmlElementInfo> ancestors) =>
        _compounds[^1].Matches(element) && MatchesFrom(_compounds.Length - 2, ancestors, ancestors.Count - 1);

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private bool MatchesFrom(int compound, IReadOnlyList<HtmlElementInfo> ancestors, int below)
    {
        if (compound < 0)
        {
            return true;
        }

        if (_combinators[compound] == '>')
        {
            return below >= 0 && _compounds[compound].Matches(ancestors[below]) && MatchesFrom(compound - 1, ancestors, below - 1);
        }

        for (var i = below; i >= 0; i--)
        {
            if (_compounds[compound].Matches(ancestors[i]) && MatchesFrom(compound - 1, ancestors, i - 1))
            {
                return true;
            }
        }

        return false;
    }

    private static CssSelector? Parse(string selector)
    {
        if (selector.Length == 0 || selector.AsSpan().IndexOfAny(":+~\\\"'") >= 0)
        {
            return null;
        }

        var compounds = new List<Compound>();
        var combinators = new List<char>();
        var i = 0;
        var pending = ' ';
        while (i < selector.Length)
        {
            if (char.IsWhiteSpace(selector[i]) || selector[i] == '>')
            {
                if (selector[i] == '>')
                {
                    pending = '>';
                }

                i++;
                continue;
            }

            if (compounds.Count > 0)
            {
                combinators.Add(pending);
            }

            pending = ' ';
            if (ParseCompound(selector, ref i) is not { } compound)
            {
                return null;
            }

            compounds.Add(compound);
        }

        return compounds.Count == 0 ? null : new CssSelector([.. compounds], [.. combinators]);
    }

    private static Compound? ParseCompound(string text, ref int i)
    {
        string? type = null;
        string? id = null;
        var classes = new List<string>();
        var attributes = new List<(string Name, string? Value)>();
        var start = i;
        while (i < text.Length && !char.IsWhiteSpace(text[i]) && text[i] != '>')
        {
            var c = text[i];
            if (c == '*' && i == start)
            {
                i++;
            }
            else if (c == '#' || c == '.')
            {
                var name = ReadName(text, ref i, i + 1);
                if (name.Length == 0)
                {
                    return null;
                }

                if (c == '#')
                {
                    id = name;
                }
                else
                {
                    classes.Add(name);
                }
            }
            else if (c == '[')
            {
                var close = text.IndexOf(']', i);
                if (close < 0)
                {
                    return null;
                }

                var inner = text[(i + 1)..close];
                var equals = inner.IndexOf('=', StringComparison.Ordinal);
                if (equals < 0)
                {
                    attributes.Add((inner.Trim().ToLowerInvariant(), null));
                }
                else if (equals > 0 && char.IsAsciiLetterOrDigit(inner[equals - 1]))
                {
                    attributes.Add((inner[..equals].Trim().ToLowerInvariant(), inner[(equals + 1)..].Trim()));
                }
                else
                {
                    return null; // ~=, ^=, |= and the rest: kept in <style>
                }

                i = close + 1;
            }
            else if (char.IsAsciiLetter(c) && i == start)
            {
                type = ReadName(text, ref i, i).ToLowerInvariant();
            }
            else
            {
                return null;
            }
        }

        return new Compound(type, id, [.. classes], [.. attributes]);
    }

    private static string ReadName(string text, ref int i, int from)
    {
        var end = from;
        while (end < text.Length && (char.IsAsciiLetterOrDigit(text[end]) || text[end] is '-' or '_'))
        {
            end++;
        }

        i = end;
        return text[from..end];
    }

    private sealed record Compound(string? Type, string? Id, string[] Classes, (string Name, string? Value)[] Attributes)
    {
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public bool Matches(HtmlElementInfo element)
        {
            if ((Type is not null && Type != element.Name) || (Id is not null && Id != element.Id))
            {
                return false;
            }

            foreach (var name in Classes)
            {
                if (!element.HasClass(name))
                {
                    return false;
                }
            }

            foreach (var (name, value) in Attributes)
            {
                if (element.Attribute(name) is not { } actual || (value is not null && actual != value))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
