using System.Collections;
using Microsoft.Extensions.Configuration;

namespace MailMvc.Mail.Configuration;

/// <summary>Reads Flask-Mail's <c>MAIL_*</c> environment variables as <c>Mail</c> section keys, so a Flask
/// deployment's environment works unchanged.</summary>
internal static class FlaskMailEnvironment
{
    private static readonly Dictionary<string, string> s_keys = new(StringComparer.OrdinalIgnoreCase)
    {
        ["MAIL_SERVER"] = nameof(MailOptions.Server),
        ["MAIL_PORT"] = nameof(MailOptions.Port),
        ["MAIL_USE_TLS"] = nameof(MailOptions.UseTls),
        ["MAIL_USE_SSL"] = nameof(MailOptions.UseSsl),
        ["MAIL_DEBUG"] = nameof(MailOptions.Debug),
        ["MAIL_USERNAME"] = nameof(MailOptions.Username),
        ["MAIL_PASSWORD"] = nameof(MailOptions.Password),
        ["MAIL_DEFAULT_SENDER"] = nameof(MailOptions.DefaultSender),
        ["MAIL_MAX_EMAILS"] = nameof(MailOptions.MaxEmails),
        ["MAIL_SUPPRESS_SEND"] = nameof(MailOptions.SuppressSend),
        ["MAIL_ASCII_ATTACHMENTS"] = nameof(MailOptions.AsciiAttachments),
        ["MAIL_TIMEOUT"] = nameof(MailOptions.Timeout),
    };

    private static readonly HashSet<string> s_booleans = new(StringComparer.OrdinalIgnoreCase)
    {
        nameof(MailOptions.UseTls), nameof(MailOptions.UseSsl), nameof(MailOptions.Debug),
        nameof(MailOptions.SuppressSend), nameof(MailOptions.AsciiAttachments), nameof(MailOptions.CheckCertificateRevocation),
    };

    /// <summary>A copy of <paramref name="section"/> with its boolean settings in the spelling the binder reads.</summary>
    /// <exception cref="InvalidOperationException">A boolean setting is neither true nor false in any accepted spelling;
    /// the message names the key.</exception>
    public static IConfiguration WithBooleansNormalized(IConfiguration section, string sectionName)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true))
        {
            if (value is null)
            {
                continue;
            }

            values[key] = s_booleans.Contains(key)
                ? Boolean(value) ?? throw new InvalidOperationException(
                    $"{sectionName}:{key} is '{value}'; write true or false (1/0, yes/no and on/off work too).")
                : value;
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>The <c>MAIL_*</c> variables present, as section keys and values. Booleans written the Flask
    /// way (<c>1</c>, <c>0</c>, <c>yes</c>, <c>off</c>…) are normalised; unlike Flask-Mail, <c>"False"</c> is false.</summary>
    public static Dictionary<string, string?> Read(IDictionary variables)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (DictionaryEntry entry in variables)
        {
            if (entry.Key is string name && s_keys.TryGetValue(name, out var key) && entry.Value is string value)
            {
                values[key] = s_booleans.Contains(key) ? NormalizeBoolean(value)
                    : key == nameof(MailOptions.Timeout) ? NormalizeSeconds(value)
                    : value;
            }
        }

        return values;
    }

    /// <summary>A plain number is seconds, as in Python's smtplib (<c>30</c> is 00:00:30, not thirty days); a time
    /// span such as <c>00:00:30</c> is kept.</summary>
    internal static string NormalizeSeconds(string value) =>
        double.TryParse(value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds).ToString("c", System.Globalization.CultureInfo.InvariantCulture)
            : value;

    /// <summary>Configuration of what <see cref="Read"/> returned.</summary>
    /// <exception cref="InvalidOperationException">A boolean variable is neither true nor false; the message names it.</exception>
    public static IConfiguration ToConfiguration(Dictionary<string, string?> values)
    {
        foreach (var (key, value) in values)
        {
            if (s_booleans.Contains(key) && value is not null && Boolean(value) is null)
            {
                var name = s_keys.First(k => k.Value.Equals(key, StringComparison.OrdinalIgnoreCase)).Key;
                throw new InvalidOperationException($"{name} is '{value}'; write true or false (1/0, yes/no and on/off work too).");
            }
        }

        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>"true" or "false" for any accepted spelling, else null.</summary>
    private static string? Boolean(string value) => NormalizeBoolean(value) is var normalized && normalized is "true" or "false" ? normalized : null;

    internal static string NormalizeBoolean(string value) => value.Trim().ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => "true",
        "0" or "false" or "no" or "off" or "" => "false",
        _ => value,
    };
}
