using System.Text;
using AngleSharp.Dom;
using AngleSharp.Html.Parser;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// Derives a readable plain-text part from a mail's HTML: paragraphs, headings, line breaks, table rows and list
/// items become lines; links become "text (url)"; images keep their alt text; the document head, styles and
/// hidden elements (the preheader) are left out; whitespace is collapsed and entities are decoded.
/// </summary>
internal static class HtmlTextConverter
{
    private static readonly HashSet<string> s_skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "head", "title", "style", "script", "template", "noscript",
    };

    /// <summary>Blocks set off by a blank line.</summary>
    private static readonly HashSet<string> s_paragraphs = new(StringComparer.OrdinalIgnoreCase)
    {
        "p", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "dl", "blockquote", "pre", "table", "hr",
    };

    /// <summary>Blocks that start on a line of their own.</summary>
    private static readonly HashSet<string> s_lines = new(StringComparer.OrdinalIgnoreCase)
    {
        "div", "section", "article", "header", "footer", "main", "nav", "aside", "address", "figure", "figcaption",
        "center", "tr", "td", "th", "caption", "li", "dt", "dd",
    };

    /// <summary>Invisible characters that mail templates use as padding (the preheader trick) or as hints.</summary>
    private static readonly char[] s_invisible = ['\u200B', '\u200C', '\u200D', '\u2060', '\uFEFF', '\u034F', '\u00AD'];

    /// <summary>Converts <paramref name="html"/> to plain text.</summary>
    public static string Convert(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var document = new HtmlParser().ParseDocument(html);
        var writer = new PlainTextWriter();
        if (document.Body is { } body)
        {
            WriteChildren(body, writer, listDepth: 0, preformatted: false);
        }

        return writer.ToString();
    }

    private static void WriteChildren(INode parent, PlainTextWriter writer, int listDepth, bool preformatted)
    {
        var itemNumber = 0;
        foreach (var child in parent.ChildNodes)
        {
            switch (child)
            {
                case IText text:
                    var value = RemoveInvisible(text.Data);
                    if (preformatted)
                    {
                        writer.Preformatted(value);
                    }
                    else
                    {
                        writer.Inline(value);
                    }

                    break;
                case IElement element:
                    if (element.LocalName is "li")
                    {
                        itemNumber++;
                    }

                    WriteElement(element, writer, listDepth, preformatted, itemNumber);
                    break;
            }
        }
    }

    private static void WriteElement(IElement element, PlainTextWriter writer, int listDepth, bool preformatted, int itemNumber)
    {
        var name = element.LocalName;
        if (s_skipped.Contains(name) || IsHidden(element))
        {
            return;
        }

        switch (name)
        {
            case "br":
                writer.LineBreak();
                return;
            case "img":
                writer.Inline(" " + element.GetAttribute("alt") + " ");
                return;
            case "a":
                WriteLink(element, writer, listDepth, preformatted);
                return;
        }

        var lines = s_paragraphs.Contains(name) ? 2 : s_lines.Contains(name) ? 1 : 0;
        writer.Break(lines);
        if (name is "ul" or "ol")
        {
            listDepth++;
        }

        if (name is "li")
        {
            var marker = element.ParentElement?.LocalName is "ol" ? $"{itemNumber}. " : "- ";
            writer.Prefix(new string(' ', 2 * Math.Max(0, listDepth - 1)) + marker);
        }

        WriteChildren(element, writer, listDepth, preformatted || name is "pre");
        writer.Break(lines);
    }

    private static void WriteLink(IElement link, PlainTextWriter writer, int listDepth, bool preformatted)
    {
        var mark = writer.Length;
        WriteChildren(link, writer, listDepth, preformatted);
        var href = link.GetAttribute("href")?.Trim();
        if (string.IsNullOrEmpty(href) || href.StartsWith('#') || href.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
        {
            return;
        }

        var text = writer.WrittenSince(mark).Trim();
        if (text.Length == 0)
        {
            writer.Inline(" " + href + " ");
        }
        else if (!SameAddress(text, href))
        {
            writer.Inline(" (" + href + ")");
        }
    }

    /// <summary>A link whose text is its own address needs no "(url)" after it.</summary>
    private static bool SameAddress(string text, string href)
    {
        static string Normalize(string address) =>
            (address.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) ? address["mailto:".Length..] : address).TrimEnd('/');

        return string.Equals(Normalize(text), Normalize(href), StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsHidden(IElement element)
    {
        if (element.HasAttribute("hidden"))
        {
            return true;
        }

        var style = element.GetAttribute("style");
        return style is not null && string.Concat(style.Where(c => !char.IsWhiteSpace(c))).Contains("display:none", StringComparison.OrdinalIgnoreCase);
    }

    private static string RemoveInvisible(string value) =>
        value.AsSpan().IndexOfAny(s_invisible) < 0 ? value : string.Concat(value.Where(c => Array.IndexOf(s_invisible, c) < 0));

    /// <summary>Builds the text a word at a time: line breaks and spaces are held back until the next word, so
    /// nested blocks never stack blank lines and no line starts or ends with a space.</summary>
    private sealed class PlainTextWriter
    {
        private readonly StringBuilder _text = new();
        private int _pendingBreaks;
        private bool _pendingSpace;

        public int Length => _text.Length;

        public string WrittenSince(int mark) => _text.ToString(mark, _text.Length - mark);

        /// <summary>Asks for the next word to start <paramref name="lines"/> lines down: 1 is the next line,
        /// 2 leaves a blank line.</summary>
        public void Break(int lines)
        {
            if (lines > 0)
            {
                _pendingBreaks = Math.Max(_pendingBreaks, lines);
                _pendingSpace = false;
            }
        }

        public void LineBreak()
        {
            _pendingBreaks = Math.Min(_pendingBreaks + 1, 2);
            _pendingSpace = false;
        }

        public void Inline(string value)
        {
            var first = true;
            foreach (var word in value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries))
            {
                if (!first || char.IsWhiteSpace(value[0]))
                {
                    _pendingSpace = true;
                }

                Flush();
                _text.Append(word);
                first = false;
            }

            if (value.Length > 0 && char.IsWhiteSpace(value[^1]))
            {
                _pendingSpace = true;
            }
        }

        public void Preformatted(string value)
        {
            var lines = value.ReplaceLineEndings("\n").Split('\n');
            for (var i = 0; i < lines.Length; i++)
            {
                if (i > 0)
                {
                    LineBreak();
                }

                if (lines[i].Length > 0)
                {
                    Flush();
                    _text.Append(lines[i]);
                }
            }
        }

        public void Prefix(string marker)
        {
            Flush();
            _text.Append(marker);
        }

        public override string ToString()
        {
            var lines = _text.ToString().Split('\n').Select(line => line.TrimEnd());
            return string.Join('\n', lines).Trim('\n');
        }

        private void Flush()
        {
            // Nothing held back is written before the first word: the text never starts with a blank line.
            if (_text.Length > 0 && _pendingBreaks > 0)
            {
                _text.Append('\n', _pendingBreaks);
            }
            else if (_text.Length > 0 && _pendingSpace && _text[^1] is not (' ' or '\n'))
            {
                _text.Append(' ');
            }

            _pendingBreaks = 0;
            _pendingSpace = false;
        }
    }
}
