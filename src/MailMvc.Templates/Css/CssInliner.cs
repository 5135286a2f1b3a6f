using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text;
using MailMvc.Templates.Rendering;

namespace MailMvc.Templates.Css;

/// <summary>
/// Moves the rules of a mail's <c>&lt;style&gt;</c> blocks into <c>style</c> attributes, as mail clients that drop
/// <c>&lt;style&gt;</c> (or parts of it) need, and keeps in one <c>&lt;style&gt;</c> block what cannot be inlined:
/// <c>@media</c> queries and other at-rules, and rules with pseudo-classes or sibling combinators. A declaration already
/// in an element's <c>style</c> attribute wins over a rule's, unless only the rule's is <c>!important</c>; between
/// rules, the more specific wins, then the later. <c>&lt;style&gt;</c> blocks inside comments (Outlook's conditional
/// comments) are left alone.
/// </summary>
/// <remarks>
/// Cheap by design, because it runs on every render: the markup is read once, start tag by start tag, without
/// building a document, and each stylesheet is parsed once and kept (by its text: in practice one per template and
/// layout). A mail without a <c>&lt;style&gt;</c> block is returned as it is after one search.
/// </remarks>
internal sealed class CssInliner
{
    /// <summary>Stylesheets are template text, so few; a template that writes per-mail data into its
    /// <c>&lt;style&gt;</c> would otherwise grow the cache without end.</summary>
    private const int MaxCachedSheets = 256;

    /// <summary>"&lt;style", found by a vectorised search: it runs over the whole of every mail.</summary>
    private static readonly SearchValues<string> s_styleTag = SearchValues.Create(["<style"], StringComparison.OrdinalIgnoreCase);

    private static readonly HashSet<string> s_voidElements = new(StringComparer.Ordinal)
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track", "wbr",
    };

    /// <summary>Elements that get no style: the document's head and what is not rendered.</summary>
    private static readonly HashSet<string> s_unstyled = new(StringComparer.Ordinal)
    {
        "html", "head", "meta", "title", "link", "style", "script", "base", "noscript",
    };

    /// <summary>The tag names of mail markup, looked up without allocating a string per tag.</summary>
    private static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> s_tagNames = new[]
    {
        "a", "abbr", "b", "blockquote", "body", "br", "center", "code", "col", "colgroup", "div", "em", "font", "footer",
        "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i", "img", "li", "link", "meta", "ol", "p",
        "pre", "s", "section", "small", "span", "strong", "style", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
        "thead", "title", "tr", "u", "ul", "script", "textarea", "noscript", "base",
    }.ToDictionary(name => name, StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    private readonly ConcurrentDictionary<string, InlineSheet> _sheets;

    /// <summary>The sheet found last (replaced whole, so threads never see half of it): bulk sends render one
    /// template after another.</summary>
    private volatile LastSheet? _lastSheet;
    private readonly ConcurrentDictionary<string, InlineSheet>.AlternateLookup<ReadOnlySpan<char>> _sheetsBySpan;

    public CssInliner()
    {
        _sheets = new ConcurrentDictionary<string, InlineSheet>(StringComparer.Ordinal);
        _sheetsBySpan = _sheets.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>How many stylesheets were parsed, for tests: once per distinct stylesheet.</summary>
    public int ParseCount => _parseCount;

    private int _parseCount;

    /// <summary>How many start tags the inliner keeps worked out, over all stylesheets, for tests.</summary>
    public int TagNodeCount => _sheets.Values.Sum(sheet => sheet.TagNodeCount);

    /// <summary>The mail with its <c>&lt;style&gt;</c> rules inlined; <paramref name="html"/> itself when it has none.</summary>
    public string Inline(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        return Inline(html.AsSpan()) ?? html;
    }

    /// <summary>The mail with its <c>&lt;style&gt;</c> rules inlined; null when it has none (the markup is then the
    /// mail as it is). The renderer passes the text it rendered into, so only the inlined mail becomes a string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string? Inline(ReadOnlySpan<char> html)
    {
        if (html.IndexOfAny(s_styleTag) < 0)
        {
            return null;
        }

        var blocks = FindStyleBlocks(html);
        if (blocks.Count == 0)
        {
            return null;
        }

        var sheet = GetSheet(html, blocks);
        var output = ThreadKeptBuilder.Take(html.Length + 1024);
        var open = new List<InlineTagNode>();
        var blockIndex = 0;
        var copied = 0;
        var position = 0;
        while (position < html.Length)
        {
            var lt = IndexOf(html, '<', position);
            if (lt < 0 || lt + 1 >= html.Length)
            {
                break;
            }

            if (blockIndex < blocks.Count && lt == blocks[blockIndex].Start)
            {
                // The first block keeps what could not be inlined; the others go.
                var block = blocks[blockIndex];
                output.Append(html[copied..lt]);
                if (blockIndex == 0 && sheet.Kept.Length > 0)
                {
                    output.Append(html[block.Start..block.ContentStart]).Append('\n').Append(sheet.Kept).Append('\n').Append("</style>");
                }

                copied = position = block.End;
                blockIndex++;
                continue;
            }

            var next = html[lt + 1];
            if (html[lt..].StartsWith("<!--", StringComparison.Ordinal))
            {
                var close = IndexOf(html, "-->", lt + 4, StringComparison.Ordinal);
                position = close < 0 ? html.Length : close + 3;
            }
            else if (next == '/')
            {
                var end = IndexOf(html, '>', lt);
                var name = TagNameSpan(html, lt + 2);
                for (var i = open.Count - 1; i >= 0; i--)
                {
                    if (name.Equals(open[i].Name, StringComparison.OrdinalIgnoreCase))
                    {
                        open.RemoveRange(i, open.Count - i);
                        break;
                    }
                }

                position = end < 0 ? html.Length : end + 1;
            }
            else if (char.IsAsciiLetter(next))
            {
                if (open.Count > 0 && open[^1].ClosedBySameName && TagNameSpan(html, lt + 1).Equals(open[^1].Name, StringComparison.OrdinalIgnoreCase))
                {
                    open.RemoveAt(open.Count - 1);
                }

                var node = StartTagNode(sheet, html, lt, open);
                position = lt + node.Raw.Length;
                if (node.RawTextClose is { } rawTextClose)
                {
                    var close = IndexOf(html, rawTextClose, position, StringComparison.OrdinalIgnoreCase);
                    position = close < 0 ? html.Length : close;
                    continue;
                }

                if (node.Replacement is { } replacement)
                {
                    output.Append(html[copied..lt]).Append(replacement);
                    copied = position;
                }

                if (node.Opens)
                {
                    open.Add(node);
                }
            }
            else
            {
                // <!DOCTYPE …>, <?…?>, or a lone "<" in text.
                position = next is '!' or '?' ? Math.Max(IndexOf(html, '>', lt), lt) + 1 : lt + 1;
            }
        }

        output.Append(html[copied..]);
        var result = output.ToString();
        ThreadKeptBuilder.Keep(output);
        return result;
    }

    /// <summary>The node for the start tag at <paramref name="lt"/> below the open elements: the one kept from an
    /// earlier mail when the same tag stood at the same place, otherwise worked out now (and kept while there is
    /// room).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static InlineTagNode StartTagNode(InlineSheet sheet, ReadOnlySpan<char> html, int lt, List<InlineTagNode> open)
    {
        var parent = open.Count > 0 ? open[^1] : sheet.Root;
        var gt = IndexOf(html, '>', lt);
        var key = gt < 0 ? ReadOnlySpan<char>.Empty : html.Slice(lt, gt + 1 - lt);
        if (parent.Cacheable && gt >= 0 && parent.Find(key) is { } known
            && (known.Raw.Length == key.Length || html[lt..].StartsWith(known.Raw, StringComparison.Ordinal)))
        {
            return known;
        }

        var tag = ReadStartTag(html, lt, sheet.UsesAttributeSelectors);
        string? replacement = null;
        if (!s_unstyled.Contains(tag.Name) && sheet.Rules.Count > 0
            && Style(sheet, tag.Element, [.. open.Select(node => node.Element!)], tag.Style) is { } style)
        {
            var rewritten = new StringBuilder(tag.End - lt + style.Length + 9);
            if (tag.StyleStart >= 0)
            {
                rewritten.Append(html[lt..tag.StyleStart]).Append("style=\"").Append(style).Append('"').Append(html[tag.StyleEnd..tag.End]);
            }
            else
            {
                var insertAt = html[tag.End - 2] == '/' ? tag.End - 2 : tag.End - 1;
                rewritten.Append(html[lt..insertAt]).Append(" style=\"").Append(style).Append('"').Append(html[insertAt..tag.End]);
            }

            replacement = rewritten.ToString();
        }

        var raw = html[lt..tag.End].ToString();
        var created = InlineTagNode.Create(tag.Name, tag.Element, raw, replacement, opens: !s_voidElements.Contains(tag.Name) && !tag.SelfClosing);

        // Kept under the text up to the first '>', which a quoted '>' can cut short: Raw tells such tags apart.
        if (gt >= 0 && parent.Cacheable && sheet.TryReserveTagNode())
        {
            if (!parent.TryAdd(gt + 1 - lt == raw.Length ? raw : key.ToString(), created))
            {
                sheet.ReleaseTagNode();
            }
        }

        return created;
    }

    private InlineSheet GetSheet(ReadOnlySpan<char> html, List<StyleBlock> blocks)
    {
        // One block is the usual case: look it up without copying it out of the mail, first as the sheet of the
        // mail before (comparing is cheaper than hashing a whole stylesheet), then among all.
        if (blocks.Count == 1)
        {
            var content = html[blocks[0].ContentStart..blocks[0].ContentEnd];
            if (_lastSheet is { } last && content.SequenceEqual(last.Css))
            {
                return last.Sheet;
            }

            if (_sheetsBySpan.TryGetValue(content, out var cssText, out var single))
            {
                _lastSheet = new LastSheet(cssText, single);
                return single;
            }
        }

        var parts = new string[blocks.Count];
        for (var i = 0; i < blocks.Count; i++)
        {
            parts[i] = html[blocks[i].ContentStart..blocks[i].ContentEnd].ToString();
        }

        var css = string.Join("\n", parts);
        if (_sheets.TryGetValue(css, out var sheet))
        {
            return sheet;
        }

        Interlocked.Increment(ref _parseCount);
        sheet = InlineSheet.Parse(css);
        if (_sheets.Count < MaxCachedSheets)
        {
            _sheets.TryAdd(css, sheet);
        }

        return sheet;
    }

    /// <summary>The element's new style attribute value; null when no rule matches. The value for a set of matching
    /// rules and a style attribute is worked out once per stylesheet and kept: a template renders the same tags with
    /// the same classes mail after mail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string? Style(InlineSheet sheet, HtmlElementInfo element, List<HtmlElementInfo> ancestors, string? inlineStyle)
    {
        ulong matched = 0;
        List<InlineRule>? many = null;
        for (var i = 0; i < sheet.Rules.Count; i++)
        {
            if (!sheet.Rules[i].Selector.Matches(element, ancestors))
            {
                continue;
            }

            if (i < 64)
            {
                matched |= 1UL << i;
            }
            else
            {
                (many ??= []).Add(sheet.Rules[i]);
            }
        }

        if (matched == 0 && many is null)
        {
            return null;
        }

        if (many is null && sheet.TryGetStyle(matched, inlineStyle, out var cached))
        {
            return cached;
        }

        var merged = new List<(CssDeclaration Declaration, bool FromRule)>();
        for (var i = 0; i < Math.Min(64, sheet.Rules.Count); i++)
        {
            if ((matched & (1UL << i)) != 0)
            {
                foreach (var declaration in sheet.Rules[i].Declarations)
                {
                    Set(merged, declaration, fromRule: true);
                }
            }
        }

        foreach (var rule in many ?? [])
        {
            foreach (var declaration in rule.Declarations)
            {
                Set(merged, declaration, fromRule: true);
            }
        }

        if (inlineStyle is not null)
        {
            foreach (var declaration in CssParser.ParseDeclarations(inlineStyle))
            {
                Set(merged, declaration, fromRule: false);
            }
        }

        var style = new StringBuilder();
        foreach (var (declaration, fromRule) in merged)
        {
            if (style.Length > 0)
            {
                style.Append(';');
            }

            // A rule's value goes into an attribute here; one from the attribute is written back as it was.
            style.Append(declaration.Property).Append(':').Append(fromRule ? declaration.Value.Replace("\"", "&quot;", StringComparison.Ordinal) : declaration.Value);
            if (declaration.Important)
            {
                style.Append(" !important");
            }
        }

        style.Append(';');
        var result = style.ToString();
        if (many is null)
        {
            sheet.KeepStyle(matched, inlineStyle, result);
        }

        return result;
    }

    /// <summary>Rules come most specific last, so a later declaration wins unless only the earlier is important.</summary>
    private static void Set(List<(CssDeclaration Declaration, bool FromRule)> merged, CssDeclaration declaration, bool fromRule)
    {
        for (var i = 0; i < merged.Count; i++)
        {
            if (merged[i].Declaration.Property == declaration.Property)
            {
                if (!merged[i].Declaration.Important || declaration.Important)
                {
                    merged[i] = (declaration, fromRule);
                }

                return;
            }
        }

        merged.Add((declaration, fromRule));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static List<StyleBlock> FindStyleBlocks(ReadOnlySpan<char> html)
    {
        var blocks = new List<StyleBlock>();
        var position = 0;
        while (true)
        {
            var open = html[position..].IndexOfAny(s_styleTag);
            open = open < 0 ? open : open + position;
            if (open < 0)
            {
                return blocks;
            }

            // The last comment opened, and the last closed, at or before the tag (as string.LastIndexOf from the tag).
            var commentOpen = html[..(open + 1)].LastIndexOf("<!--", StringComparison.Ordinal);
            if (commentOpen >= 0 && html[..(open + 1)].LastIndexOf("-->", StringComparison.Ordinal) < commentOpen)
            {
                // Inside a comment (an Outlook conditional block): not ours to change.
                var commentClose = IndexOf(html, "-->", open, StringComparison.Ordinal);
                position = commentClose < 0 ? html.Length : commentClose + 3;
                continue;
            }

            var afterName = open + "<style".Length;
            var tagEnd = IndexOf(html, '>', open);
            var close = tagEnd < 0 ? -1 : IndexOf(html, "</style", tagEnd, StringComparison.OrdinalIgnoreCase);
            if (afterName >= html.Length || !(char.IsWhiteSpace(html[afterName]) || html[afterName] == '>') || close < 0)
            {
                position = afterName;
                continue;
            }

            var end = IndexOf(html, '>', close);
            end = end < 0 ? html.Length : end + 1;
            blocks.Add(new StyleBlock(open, tagEnd + 1, close, end));
            position = end;
        }
    }

    /// <summary>Reads a start tag; only its name, id, class and style are kept as strings (other attributes only
    /// when the sheet has attribute selectors): this runs for every tag of every mail.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static StartTag ReadStartTag(ReadOnlySpan<char> html, int open, bool keepAttributes)
    {
        var name = TagName(html, open + 1, out var i);
        string? id = null, classes = null, style = null;
        List<(string Name, string Value)>? others = null;
        int styleStart = -1, styleEnd = -1;
        while (i < html.Length)
        {
            while (i < html.Length && char.IsWhiteSpace(html[i]))
            {
                i++;
            }

            if (i >= html.Length || html[i] == '>' || (html[i] == '/' && i + 1 < html.Length && html[i + 1] == '>'))
            {
                break;
            }

            var attributeStart = i;
            while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] is not '=' and not '>' && !(html[i] == '/' && i + 1 < html.Length && html[i + 1] == '>'))
            {
                i++;
            }

            var attributeName = html[attributeStart..i];
            int valueStart = i, valueEnd = i;
            var probe = i;
            while (probe < html.Length && char.IsWhiteSpace(html[probe]))
            {
                probe++;
            }

            if (probe < html.Length && html[probe] == '=')
            {
                i = probe + 1;
                while (i < html.Length && char.IsWhiteSpace(html[i]))
                {
                    i++;
                }

                if (i < html.Length && html[i] is '"' or '\'')
                {
                    var close = IndexOf(html, html[i], i + 1);
                    close = close < 0 ? html.Length : close;
                    (valueStart, valueEnd) = (i + 1, close);
                    i = Math.Min(close + 1, html.Length);
                }
                else
                {
                    valueStart = i;
                    while (i < html.Length && !char.IsWhiteSpace(html[i]) && html[i] != '>')
                    {
                        i++;
                    }

                    valueEnd = i;
                }
            }

            if (attributeName.Length == 0)
            {
                i++;
            }
            else if (attributeName.Equals("style", StringComparison.OrdinalIgnoreCase))
            {
                if (style is null)
                {
                    (styleStart, styleEnd, style) = (attributeStart, i, html[valueStart..valueEnd].ToString());
                }
            }
            else if (attributeName.Equals("class", StringComparison.OrdinalIgnoreCase))
            {
                classes ??= html[valueStart..valueEnd].ToString();
            }
            else if (attributeName.Equals("id", StringComparison.OrdinalIgnoreCase))
            {
                id ??= html[valueStart..valueEnd].ToString();
            }
            else if (keepAttributes)
            {
                (others ??= []).Add((attributeName.ToString().ToLowerInvariant(), html[valueStart..valueEnd].ToString()));
            }
        }

        var selfClosing = i < html.Length && html[i] == '/';
        var end = IndexOf(html, '>', Math.Min(i, html.Length - 1));
        end = end < 0 ? html.Length : end + 1;
        return new StartTag(new HtmlElementInfo(name, id, classes, others), style, styleStart, styleEnd, selfClosing, end);
    }

    /// <summary>The tag name at <paramref name="start"/> as written.</summary>
    private static ReadOnlySpan<char> TagNameSpan(ReadOnlySpan<char> html, int start)
    {
        var end = start;
        while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] is '-' or ':'))
        {
            end++;
        }

        return html[start..end];
    }

    /// <summary>The tag name at <paramref name="start"/> in lower case, without allocating for the tags mails use.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static string TagName(ReadOnlySpan<char> html, int start, out int end)
    {
        end = start;
        while (end < html.Length && (char.IsAsciiLetterOrDigit(html[end]) || html[end] is '-' or ':'))
        {
            end++;
        }

        var span = html[start..end];
        return s_tagNames.TryGetValue(span, out var known) ? known : span.ToString().ToLowerInvariant();
    }

    /// <summary>Where <paramref name="value"/> is in <paramref name="html"/> from <paramref name="start"/> on, as
    /// <c>string.IndexOf(value, start)</c> finds it; -1 when it is not.</summary>
    private static int IndexOf(ReadOnlySpan<char> html, char value, int start)
    {
        var found = html[start..].IndexOf(value);
        return found < 0 ? -1 : found + start;
    }

    /// <inheritdoc cref="IndexOf(ReadOnlySpan{char}, char, int)"/>
    private static int IndexOf(ReadOnlySpan<char> html, string value, int start, StringComparison comparison)
    {
        var found = html[start..].IndexOf(value, comparison);
        return found < 0 ? -1 : found + start;
    }

    private sealed record LastSheet(string Css, InlineSheet Sheet);

    private readonly record struct StyleBlock(int Start, int ContentStart, int ContentEnd, int End);

    private readonly record struct StartTag(HtmlElementInfo Element, string? Style, int StyleStart, int StyleEnd, bool SelfClosing, int End)
    {
        public string Name => Element.Name;
    }
}
