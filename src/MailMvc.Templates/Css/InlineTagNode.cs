using System.Runtime.InteropServices;

namespace MailMvc.Templates.Css;

/// <summary>
/// One start tag as the inliner found it below a chain of open elements, with what it writes for it: a node of the
/// tree of tags a stylesheet's mails have shown so far (<see cref="InlineSheet.Root"/>). Which rules match a tag
/// depends only on the tag's own text and the elements it sits in, so a tag met again at the same place (the same
/// text below the same node) is written as it was worked out the first time, without reading its attributes or
/// matching a selector. A template whose markup changes with the model (an <c>@if</c>, a loop) only adds nodes.
/// </summary>
internal sealed class InlineTagNode
{
    /// <summary>Children kept per node: a tag with per-mail text (a personal link) is new in every mail and would
    /// otherwise crowd out the rest; the tags after the limit are worked out every time, as without a cache.</summary>
    private const int MaxChildren = 32;

    /// <summary>Up to this many children, a tag is found by comparing it with each.</summary>
    private const int FewChildren = 4;

    private static readonly Child[] s_none = [];

    private Child[] _children = s_none;

    private InlineTagNode(string name, HtmlElementInfo? element, string raw, string? replacement, bool opens, bool cacheable)
    {
        Name = name;
        Element = element;
        Raw = raw;
        Replacement = replacement;
        Opens = opens;
        Cacheable = cacheable;
        RawTextClose = name is "script" or "textarea" ? "</" + name : null;
        ClosedBySameName = name is "li" or "p" or "td" or "th" or "tr" or "option";
    }

    /// <summary>The tag name, lower case; empty for the root.</summary>
    public string Name { get; }

    /// <summary>What selectors look at in the tag; null for the root.</summary>
    public HtmlElementInfo? Element { get; }

    /// <summary>The start tag as written, from <c>&lt;</c> to <c>&gt;</c>.</summary>
    public string Raw { get; }

    /// <summary>The start tag to write instead, with its new <c>style</c> attribute; null when it stays as written.</summary>
    public string? Replacement { get; }

    /// <summary>True when the element stays open for the tags after it (not void, not written <c>&lt;x/&gt;</c>).</summary>
    public bool Opens { get; }

    /// <summary>False for a node not kept in the tree (a full parent, or too many nodes): its children are worked out
    /// every time, as they cannot be found again below it.</summary>
    public bool Cacheable { get; private set; }

    /// <summary><c>&lt;/script</c> or <c>&lt;/textarea</c>, whose content is text, not markup; null for other tags.</summary>
    public string? RawTextClose { get; }

    /// <summary>True for <c>&lt;li&gt;</c>, <c>&lt;p&gt;</c> and the table cells: a start tag of the same name
    /// closes it when it is still open.</summary>
    public bool ClosedBySameName { get; }

    public static InlineTagNode CreateRoot() => new(string.Empty, null, string.Empty, null, opens: true, cacheable: true);

    public static InlineTagNode Create(string name, HtmlElementInfo element, string raw, string? replacement, bool opens) =>
        new(name, element, raw, replacement, opens, cacheable: false);

    /// <summary>The child kept for the start tag whose text up to its first <c>&gt;</c> is <paramref name="key"/>;
    /// null when there is none.</summary>
    public InlineTagNode? Find(ReadOnlySpan<char> key)
    {
        // Read once: another thread may replace the array (never change it) meanwhile.
        var children = Volatile.Read(ref _children);
        if (children.Length <= FewChildren)
        {
            // Comparing a few tags is cheaper than hashing one.
            foreach (var child in children)
            {
                if (child.Key.Length == key.Length && key.SequenceEqual(child.Key))
                {
                    return child.Node;
                }
            }

            return null;
        }

        var hash = KeyHash(key);
        foreach (var child in children)
        {
            if (child.Hash == hash && key.SequenceEqual(child.Key))
            {
                return child.Node;
            }
        }

        return null;
    }

    /// <summary>Keeps <paramref name="node"/> as the child for <paramref name="key"/>; false when this node is not
    /// kept itself, is full, or another thread kept a child for the same key first.</summary>
    public bool TryAdd(string key, InlineTagNode node)
    {
        var hash = KeyHash(key);
        if (!Cacheable)
        {
            return false;
        }

        while (true)
        {
            var children = Volatile.Read(ref _children);
            if (children.Length >= MaxChildren)
            {
                return false;
            }

            foreach (var child in children)
            {
                if (child.Hash == hash && child.Key == key)
                {
                    return false;
                }
            }

            // Copied on write: readers on other threads never lock and never see a half-added child.
            Child[] grown = [.. children, new Child(hash, key, node)];
            if (Interlocked.CompareExchange(ref _children, grown, children) == children)
            {
                node.Cacheable = true;
                return true;
            }
        }
    }

    /// <summary>Tells most start tags apart without reading all of them: their length and last eight characters, where
    /// a tag's per-mail text (a link's token) ends. Hashing a whole tag for every lookup took 2–5% of a Welcome mail's
    /// render; tags with equal hashes are compared in full, and a node has at most <see cref="MaxChildren"/>.</summary>
    private static int KeyHash(ReadOnlySpan<char> key)
    {
        if (key.Length < 8)
        {
            return key.Length;
        }

        // Read as two unaligned 8-byte values: the tag's text may start anywhere in the mail.
        var tail = MemoryMarshal.AsBytes(key[^8..]);
        return HashCode.Combine(key.Length, MemoryMarshal.Read<ulong>(tail), MemoryMarshal.Read<ulong>(tail[8..]));
    }

    private readonly record struct Child(int Hash, string Key, InlineTagNode Node);
}
