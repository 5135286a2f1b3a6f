using System.Text;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// A string builder each thread keeps between mails: rendering and CSS inlining build one mail after another on the same
/// threads, and a fresh builder grown from empty for each was most of what they allocated.
/// </summary>
/// <remarks>Taking the builder empties the thread's slot, so a nested or interleaved use on the thread gets a new one,
/// and an async caller may give it back on whichever thread it ends on; one that fails gives nothing back.</remarks>
internal static class ThreadKeptBuilder
{
    [ThreadStatic]
    private static StringBuilder? s_kept;

    /// <summary>The thread's kept builder, emptied, or a new one of <paramref name="capacity"/>.</summary>
    public static StringBuilder Take(int capacity)
    {
        var builder = s_kept;
        s_kept = null;
        if (builder is null)
        {
            return new StringBuilder(capacity);
        }

        builder.Clear();
        return builder;
    }

    /// <summary>Keeps <paramref name="builder"/> for the thread's next <see cref="Take"/>, unless an unusually large mail
    /// grew it past <paramref name="maxChars"/>.</summary>
    public static void Keep(StringBuilder builder, int maxChars)
    {
        if (builder.Capacity <= maxChars)
        {
            s_kept = builder;
        }
    }
}
