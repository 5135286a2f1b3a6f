using System.Globalization;

namespace MailMvc.Templates.Rendering;

/// <summary>
/// Per-culture variants of a template: <c>Welcome.de.cshtml</c> (and its text twin <c>Welcome.de.text.cshtml</c>) is
/// the German <c>Welcome</c>. A file is a variant only when the part before <c>.cshtml</c> (or <c>.text.cshtml</c>)
/// ends in a culture name .NET knows and the template it varies exists, so a template named <c>Order.Shipped</c> stays
/// a template of its own.
/// </summary>
internal static class TemplateVariants
{
    /// <summary>The culture a template file name (without <c>.cshtml</c> or <c>.text.cshtml</c>) is a variant for, and
    /// the template it varies; false when it is no variant.</summary>
    public static bool TryParse(string name, Func<string, bool> templateExists, out string template, out string culture)
    {
        template = string.Empty;
        culture = string.Empty;
        var dot = name.LastIndexOf('.');
        if (dot <= 0 || dot == name.Length - 1 || name.IndexOf('/', dot) >= 0)
        {
            return false;
        }

        var candidate = name[(dot + 1)..];
        if (!IsCultureName(candidate) || !templateExists(name[..dot]))
        {
            return false;
        }

        template = name[..dot];
        culture = CultureInfo.GetCultureInfo(candidate).Name;
        return true;
    }

    /// <summary>The cultures to look for, most specific first, as ASP.NET Core's request localisation falls back:
    /// <c>de-CH</c>, then <c>de</c>; the invariant culture (the template itself) is not listed.</summary>
    public static IEnumerable<string> FallbackChain(CultureInfo? culture)
    {
        for (var current = culture; current is not null && !Equals(current, CultureInfo.InvariantCulture); current = current.Parent)
        {
            yield return current.Name;
        }
    }

    /// <summary>Whether <paramref name="name"/> is a culture .NET knows (<c>de</c>, <c>de-CH</c>, <c>fr</c>), not one made up.</summary>
    public static bool IsCultureName(string name)
    {
        if (name.Length is < 2 or > 16 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            return false;
        }

        try
        {
            return !Equals(CultureInfo.GetCultureInfo(name, predefinedOnly: true), CultureInfo.InvariantCulture);
        }
        catch (CultureNotFoundException)
        {
            return false;
        }
    }
}
