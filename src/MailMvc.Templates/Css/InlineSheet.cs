using System.Collections.Concurrent;
using System.Text;

namespace MailMvc.Templates.Css;

/// <summary>A mail's stylesheet split once into the rules to inline (most specific last) and the CSS to keep in a
/// <c>&lt;style&gt;</c> block, as written.</summary>
internal sealed class InlineSheet
{
    private InlineSheet(IReadOnlyList<InlineRule> rules, string kept)
    {
        Rules = rules;
        Kept = kept;
        UsesAttributeSelectors = rules.Any(rule => rule.Selector.UsesAttributes);
    }

    /// <summary>Style attribute values already worked out, by the rules that matched (a bit per rule, in
    /// <see cref="Rules"/> order) and the element's own style attribute.</summary>
    private readonly ConcurrentDictionary<(ulong Rules, string Inline), string> _styles = new();

    /// <summary>Enough for every distinct tag of a few templates; a template that writes per-mail values into style
    /// attributes fills it once and then works them out every time.</summary>
    private const int MaxKeptStyles = 4096;

    /// <summary>Nodes of the tag tree (<see cref="Root"/>) kept per stylesheet: enough for the tags of many templates
    /// that share a layout, and a bound for templates whose markup differs in every mail.</summary>
    private const int MaxTagNodes = 4096;

    private int _tagNodes;

    public IReadOnlyList<InlineRule> Rules { get; }

    /// <summary>The tags this sheet's mails have shown, each with what the inliner writes for it
    /// (<see cref="InlineTagNode"/>).</summary>
    public InlineTagNode Root { get; } = InlineTagNode.CreateRoot();

    /// <summary>How many tag nodes are kept, for tests.</summary>
    public int TagNodeCount => Volatile.Read(ref _tagNodes);

    /// <summary>Counts a node to keep; false when the sheet keeps as many as it may.</summary>
    public bool TryReserveTagNode()
    {
        if (Interlocked.Increment(ref _tagNodes) <= MaxTagNodes)
        {
            return true;
        }

        Interlocked.Decrement(ref _tagNodes);
        return false;
    }

    /// <summary>Gives back a node counted by <see cref="TryReserveTagNode"/> that was not kept after all.</summary>
    public void ReleaseTagNode() => Interlocked.Decrement(ref _tagNodes);

    /// <summary>True when a rule selects by an attribute other than id and class, so tags must keep all of theirs.</summary>
    /// <remarks>Worked out once: the sheet is cached and asked on every mail.</remarks>
    public bool UsesAttributeSelectors { get; }

    /// <summary>At-rules (<c>@media</c>…) and rules that cannot be inlined, one a line; empty when there are none.</summary>
    public string Kept { get; }

    public bool TryGetStyle(ulong rules, string? inline, out string? style) => _styles.TryGetValue((rules, inline ?? string.Empty), out style);

    public void KeepStyle(ulong rules, string? inline, string style)
    {
        if (_styles.Count < MaxKeptStyles)
        {
            _styles.TryAdd((rules, inline ?? string.Empty), style);
        }
    }

    public static InlineSheet Parse(string css)
    {
        var rules = new List<InlineRule>();
        var kept = new StringBuilder();
        var order = 0;
        foreach (var rule in CssParser.ParseSheet(css))
        {
            if (rule.Selector is { } selectorText && CssSelector.ParseList(selectorText) is { } selectors)
            {
                rules.AddRange(selectors.Select(selector => new InlineRule(selector, rule.Declarations, order++)));
            }
            else
            {
                kept.Append(kept.Length > 0 ? "\n" : "").Append(rule.Text);
            }
        }

        return new InlineSheet(rules.OrderBy(r => r.Selector.Specificity).ThenBy(r => r.Order).ToList(), kept.ToString());
    }
}
