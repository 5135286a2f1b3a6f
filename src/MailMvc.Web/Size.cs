using System.Globalization;

namespace MailMvc.Web;

/// <summary>Byte counts in words a person reads.</summary>
public static class Size
{
    /// <summary>For example "980 bytes", "12.3 KB", "4.5 MB".</summary>
    public static string Format(long bytes) => bytes switch
    {
        < 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024):0.#} MB"),
    };
}
