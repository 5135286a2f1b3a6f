using System.Globalization;

namespace MailMvc.Web.Infrastructure;

/// <summary>The optional language of a mail: the welcome form, a list's <c>locale</c> column, the preview's language switch.</summary>
public static class MailLocale
{
    /// <summary>Reads a language code .NET knows (<c>de</c>, <c>de-CH</c>, <c>fr</c>, any case); empty means none.</summary>
    /// <param name="text">The code, or null or blank for the template's own language.</param>
    /// <param name="culture">The culture, or null for none.</param>
    /// <returns>False when <paramref name="text"/> is not a language code.</returns>
    public static bool TryParse(string? text, out CultureInfo? culture)
    {
        culture = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        var name = text.Trim();
        if (name.Length > 16 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return false;
        }

        try
        {
            culture = CultureInfo.GetCultureInfo(name.Replace('_', '-'), predefinedOnly: true);
            return !Equals(culture, CultureInfo.InvariantCulture);
        }
        catch (CultureNotFoundException)
        {
            culture = null;
            return false;
        }
    }
}
