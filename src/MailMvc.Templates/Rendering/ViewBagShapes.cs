using System.Collections.Concurrent;
using System.Dynamic;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// Keeps alive the shapes of the view bags templates see, so the templates' dynamic <c>ViewBag</c> accesses stay bound.
/// </summary>
/// <remarks>
/// An <see cref="ExpandoObject"/> shares one hidden "class" per sequence of keys added to it, found again through weak
/// references from the class before it. Each compiled <c>ViewBag.X</c> in a template caches a rule for the class it last
/// saw. A collection that takes the classes of a sequence (no view bag of that shape alive at that moment) makes the
/// next view bag build new ones, and then every dynamic access in the templates misses its rule and compiles a new one:
/// in a bulk run's profile, binding and compiling were a fifth of the preparing thread, and a micro-benchmark rendering
/// with a collection every 100 renders spent 50 µs a render on it against 0.5 µs with the shapes kept. One view bag per
/// prefix of each key sequence seen keeps every class of the sequence reachable.
/// </remarks>
internal static class ViewBagShapes
{
    // Templates that add keys of their own make a few shapes each; past this many the rest simply are not kept.
    private const int MaxShapes = 256;

    private static readonly ConcurrentDictionary<int, ExpandoObject[]> s_kept = new();

    /// <summary>Keeps the shape of <paramref name="viewBag"/> (and of each of its prefixes) alive, once per shape.</summary>
    public static void Keep(ExpandoObject viewBag)
    {
        IDictionary<string, object?> values = viewBag;
        var hash = new HashCode();
        foreach (var key in values.Keys)
        {
            hash.Add(key, StringComparer.Ordinal);
        }

        var shape = hash.ToHashCode();
        if (s_kept.ContainsKey(shape) || s_kept.Count >= MaxShapes)
        {
            return;
        }

        // The keys enumerate in the order they were added, the order of the classes.
        var keys = values.Keys.ToList();
        var prefixes = new ExpandoObject[keys.Count];
        for (var length = 1; length <= keys.Count; length++)
        {
            var prefix = new ExpandoObject();
            IDictionary<string, object?> prefixValues = prefix;
            for (var i = 0; i < length; i++)
            {
                prefixValues[keys[i]] = null;
            }

            prefixes[length - 1] = prefix;
        }

        s_kept.TryAdd(shape, prefixes);
    }
}
