using System.Text;

namespace MailMvc.Templates.Css;

/// <summary>
/// A small, forgiving CSS reader for what mail templates write: style rules, <c>@media</c>/<c>@supports</c> blocks
/// with rules inside, other at-rules kept whole, and declarations exactly as written (no shorthand expansion, unknown
/// properties kept: mail CSS is full of <c>mso-</c> and <c>-webkit-</c> properties a browser's parser drops).
/// </summary>
internal static class CssParser
{
    private static readonly HashSet<string> s_groupingAtRules = new(StringComparer.Ordinal) { "media", "supports", "document", "container", "layer" };

    /// <summary>The rules of a stylesheet, comments removed.</summary>
    public static IReadOnlyList<CssRule> ParseSheet(string css)
    {
        ArgumentNullException.ThrowIfNull(css);
        var text = RemoveComments(css);
        var rules = new List<CssRule>();
        var position = 0;
        ParseRules(text, ref position, rules, nested: false);
        return rules;
    }

    /// <summary>The declarations of a <c>style</c> attribute or a rule's block, in order.</summary>
    public static IReadOnlyList<CssDeclaration> ParseDeclarations(string block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var declarations = new List<CssDeclaration>();
        var start = 0;
        while (start < block.Length)
        {
            var end = FindOutside(block, start, ';', ';');
            if (end < 0)
            {
                end = block.Length;
            }

            var colon = FindOutside(block, start, ':', ':');
            if (colon > start && colon < end)
            {
                var property = block[start..colon].Trim().ToLowerInvariant();
                var value = block[(colon + 1)..end].Trim();
                var important = false;
                var bang = value.LastIndexOf('!');
                if (bang >= 0 && value[(bang + 1)..].Trim().Equals("important", StringComparison.OrdinalIgnoreCase))
                {
                    important = true;
                    value = value[..bang].TrimEnd();
                }

                if (property.Length > 0 && !property.Contains('{', StringComparison.Ordinal))
                {
                    declarations.Add(new CssDeclaration(property, value, important));
                }
            }

            start = end + 1;
        }

        return declarations;
    }

    private static void ParseRules(string text, ref int position, List<CssRule> rules, bool nested)
    {
        while (true)
        {
            position = SkipSpaceAndHtmlComments(text, position);
            if (position >= text.Length)
            {
                return;
            }

            if (text[position] == '}')
            {
                position++;
                if (nested)
                {
                    return;
                }

                continue;
            }

            var start = position;
            if (text[position] == '@')
            {
                var nameEnd = position + 1;
                while (nameEnd < text.Length && (char.IsAsciiLetterOrDigit(text[nameEnd]) || text[nameEnd] == '-'))
                {
                    nameEnd++;
                }

                var keyword = text[(position + 1)..nameEnd].ToLowerInvariant();
                var stop = FindOutside(text, nameEnd, '{', ';');
                if (stop < 0 || text[stop] == ';')
                {
                    position = stop < 0 ? text.Length : stop + 1;
                    rules.Add(new CssRule { AtKeyword = keyword, Prelude = text[nameEnd..(position - (stop < 0 ? 0 : 1))].Trim(), Text = text[start..position].Trim() });
                    continue;
                }

                var prelude = text[nameEnd..stop].Trim();
                if (s_groupingAtRules.Contains(keyword))
                {
                    position = stop + 1;
                    var inner = new List<CssRule>();
                    ParseRules(text, ref position, inner, nested: true);
                    rules.Add(new CssRule { AtKeyword = keyword, Prelude = prelude, Rules = inner, Text = text[start..position].Trim() });
                }
                else
                {
                    var close = FindClosingBrace(text, stop);
                    position = close + 1;
                    rules.Add(new CssRule
                    {
                        AtKeyword = keyword,
                        Prelude = prelude,
                        Declarations = ParseDeclarations(text[(stop + 1)..Math.Min(close, text.Length)]),
                        Text = text[start..Math.Min(position, text.Length)].Trim(),
                    });
                }

                continue;
            }

            var open = FindOutside(text, position, '{', '}');
            if (open < 0 || text[open] == '}')
            {
                // A stray selector without a block: nothing to keep.
                position = open < 0 ? text.Length : open;
                continue;
            }

            var closing = FindClosingBrace(text, open);
            position = Math.Min(closing + 1, text.Length);
            rules.Add(new CssRule
            {
                Selector = text[start..open].Trim(),
                Declarations = ParseDeclarations(text[(open + 1)..Math.Min(closing, text.Length)]),
                Text = text[start..position].Trim(),
            });
        }
    }

    /// <summary>The first <paramref name="a"/> or <paramref name="b"/> outside quotes, parentheses and brackets; -1 if none.</summary>
    private static int FindOutside(string text, int start, char a, char b)
    {
        var depth = 0;
        char quote = '\0';
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (quote != '\0')
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                depth = Math.Max(0, depth - 1);
            }
            else if (depth == 0 && (c == a || c == b))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The <c>}</c> that closes the <c>{</c> at <paramref name="open"/>; the text's length if none does.</summary>
    private static int FindClosingBrace(string text, int open)
    {
        var depth = 0;
        for (var i = open; i < text.Length; i++)
        {
            var next = FindOutside(text, i, '{', '}');
            if (next < 0)
            {
                return text.Length;
            }

            depth += text[next] == '{' ? 1 : -1;
            if (depth == 0)
            {
                return next;
            }

            i = next;
        }

        return text.Length;
    }

    private static int SkipSpaceAndHtmlComments(string text, int position)
    {
        while (position < text.Length)
        {
            if (char.IsWhiteSpace(text[position]))
            {
                position++;
            }
            else if (string.CompareOrdinal(text, position, "<!--", 0, 4) == 0)
            {
                position += 4;
            }
            else if (string.CompareOrdinal(text, position, "-->", 0, 3) == 0)
            {
                position += 3;
            }
            else
            {
                break;
            }
        }

        return position;
    }

    private static string RemoveComments(string css)
    {
        if (!css.Contains("/*", StringComparison.Ordinal))
        {
            return css;
        }

        var builder = new StringBuilder(css.Length);
        var i = 0;
        while (i < css.Length)
        {
            var open = css.IndexOf("/*", i, StringComparison.Ordinal);
            if (open < 0)
            {
                builder.Append(css, i, css.Length - i);
                break;
            }

            builder.Append(css, i, open - i).Append(' ');
            var close = css.IndexOf("*/", open + 2, StringComparison.Ordinal);
            i = close < 0 ? css.Length : close + 2;
        }

        return builder.ToString();
    }
}
