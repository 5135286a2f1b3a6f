using System.Text.RegularExpressions;

namespace MailMvc.Web.DevMail;

/// <summary>
/// A mail as clients that invert colours show it in dark mode (the Gmail app, Outlook.com): they ignore the mail's
/// <c>prefers-color-scheme</c> palette and turn light colours dark themselves. Simulated as preview tools do, with a
/// filter over the whole mail that inverts lightness but keeps hues (images turned back, as those clients leave
/// pictures alone), so a light palette that inverts badly shows here.
/// </summary>
public static partial class InvertedColors
{
    /// <summary>The style added to the mail; the sandboxed preview frame allows inline styles (and nothing else).</summary>
    public const string Style =
        "<style data-mailmvc-preview=\"inverted\">html{filter:invert(1) hue-rotate(180deg);background:#fff}" +
        "img,picture,video{filter:invert(1) hue-rotate(180deg)}</style>";

    /// <summary>The mail with <see cref="Style"/> added at the end of its head (or at the start, without one).</summary>
    public static string Apply(string html)
    {
        ArgumentNullException.ThrowIfNull(html);
        var head = HeadEnd().Match(html);
        return head.Success ? html.Insert(head.Index, Style) : Style + html;
    }

    [GeneratedRegex("</head\\s*>", RegexOptions.IgnoreCase)]
    private static partial Regex HeadEnd();
}
