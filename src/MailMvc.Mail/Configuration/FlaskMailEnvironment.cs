using System.Collections;

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
        nameof(MailOptions.SuppressSend), nameof(MailOptions.AsciiAttachments),
    };

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

    internal static string NormalizeBoolean(string value) => value.Trim().ToLowerInvariant() switch
    {
        "1" or "true" or "yes" or "on" => "true",
        "0" or "false" or "no" or "off" or "" => "false",
        // Left as written, so binding fails with a message that names the setting.
        _ => value,
    };
}
