using System.Text;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// String builders each thread keeps between mails: rendering and CSS inlining build one mail after another on the same
/// threads, and a fresh builder grown from empty for each was most of what they allocated. Two a thread: the CSS
/// inliner writes into one while the render it reads is still in the other.
/// </summary>
/// <remarks>Taking a builder empties its slot, so a nested or interleaved use on the thread beyond two gets a new one,
/// and an async caller may give it back on whichever thread it ends on; one that fails gives nothing back.</remarks>
internal static class ThreadKeptBuilder
{
    /// <summary>A builder grown past this (128 KB; Gmail clips a mail's HTML above about 102 KB) by an unusually large
    /// mail is not kept: a thread that renders keeps at most two builders of this size (the render's and the CSS
    /// inliner's).</summary>
    private const int MaxKeptChars = 64 * 1024;

    [ThreadStatic]
    private static StringBuilder? s_kept;

    [ThreadStatic]
    private static StringBuilder? s_second;

    /// <summary>A builder the thread kept, emptied, or a new one of <paramref name="capacity"/>.</summary>
    public static StringBuilder Take(int capacity)
    {
        var builder = s_kept;
        if (builder is null)
        {
            builder = s_second;
            s_second = null;
        }
        else
        {
            s_kept = null;
        }

        if (builder is null)
        {
            return new StringBuilder(capacity);
        }

        builder.Clear();
        return builder;
    }

    /// <summary>Keeps <paramref name="builder"/> for one of the thread's next <see cref="Take"/>s, unless an unusually
    /// large mail grew it past <see cref="MaxKeptChars"/> or the thread keeps two already.</summary>
    public static void Keep(StringBuilder builder)
    {
        // Kept twice, it would be handed to two users at once.
        if (builder.Capacity > MaxKeptChars || ReferenceEquals(builder, s_kept) || ReferenceEquals(builder, s_second))
        {
            return;
        }

        if (s_kept is null)
        {
            s_kept = builder;
        }
        else
        {
            s_second ??= builder;
        }
    }
}
