using System.Text;
using MimeKit;

namespace MailMvc.Mail;

/// <summary>
/// A sender or reply-to address in any of Flask-Mail's three forms: <c>"addr"</c>,
/// <c>"Name &lt;addr&gt;"</c>, or a <c>("Name", "addr")</c> tuple. Strings and tuples convert implicitly.
/// </summary>
public sealed class EmailAddress : IEquatable<EmailAddress>
{
    private readonly string? _displayName;
    private readonly string _text;

    static EmailAddress()
    {
        // Validating the options at start-up can be the first use of MimeKit. MimeKit looks its charsets up
        // once, so the code pages (ISO-2022-JP, Shift_JIS…) must be registered before, or it never decodes them.
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
    }

    /// <summary>An address written as <c>"addr"</c> or <c>"Name &lt;addr&gt;"</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public EmailAddress(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        _text = text;
    }

    /// <summary>An address with a display name, Flask-Mail's tuple form.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="address"/> is null.</exception>
    public EmailAddress(string? displayName, string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        _displayName = displayName;
        _text = address;
    }

    /// <summary>True when the address as given contains a carriage return or line feed.</summary>
    public bool HasNewline => ContainsNewline(_text) || ContainsNewline(_displayName);

    /// <summary>Converts <c>"addr"</c> or <c>"Name &lt;addr&gt;"</c>.</summary>
    public static implicit operator EmailAddress(string text) => new(text);

    /// <summary>Converts Flask-Mail's <c>("Name", "addr")</c> form.</summary>
    public static implicit operator EmailAddress((string? Name, string Address) tuple) => new(tuple.Name, tuple.Address);

    /// <summary>
    /// Parses the address into a MimeKit mailbox, first removing any CR or LF as Flask-Mail's
    /// <c>sanitize_address</c> does. Tolerates a stray trailing <c>&gt;</c>.
    /// </summary>
    /// <exception cref="FormatException">The address is not a valid email address.</exception>
    public MailboxAddress ToMailboxAddress(System.Text.Encoding? encoding = null) =>
        _displayName is null ? Parse(_text, encoding) : Create(_displayName, _text, encoding);

    /// <summary>Parses <c>"addr"</c> or <c>"Name &lt;addr&gt;"</c> into a MimeKit mailbox, removing any CR or LF.</summary>
    /// <exception cref="FormatException">The address is not a valid email address.</exception>
    public static MailboxAddress Parse(string text, System.Text.Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var clean = RemoveNewlines(text).Trim();
        var open = clean.LastIndexOf('<');
        if (open >= 0 && clean.IndexOf('>', open) is var close and > 0)
        {
            var name = clean[..open].Trim().Trim('"').Trim();
            return Create(name.Length == 0 ? null : name, clean[(open + 1)..close], encoding);
        }

        return Create(null, clean, encoding);
    }

    /// <summary>True when <paramref name="text"/> parses as an email address.</summary>
    public static bool IsValid(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || ContainsNewline(text))
        {
            return false;
        }

        try
        {
            Parse(text);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="other"/> was given in the same form, with the same text: it then makes the same
    /// mailbox. Unlike <see cref="Equals(EmailAddress?)"/>, allocates nothing.</summary>
    internal bool IsGivenAs(EmailAddress other) =>
        string.Equals(_text, other._text, StringComparison.Ordinal) && string.Equals(_displayName, other._displayName, StringComparison.Ordinal);

    /// <summary>Whether the address as given is printable ASCII (from space to tilde: no control character, no CR or LF).
    /// Such an address is written the same in every charset.</summary>
    internal bool IsPrintableAscii =>
        !_text.AsSpan().ContainsAnyExceptInRange(' ', '~') && (_displayName is null || !_displayName.AsSpan().ContainsAnyExceptInRange(' ', '~'));

    /// <summary>The address as Flask-Mail shows it: <c>"addr"</c> or <c>"Name &lt;addr&gt;"</c>.</summary>
    public override string ToString() => _displayName is null ? _text : $"{_displayName} <{_text}>";

    /// <inheritdoc />
    public bool Equals(EmailAddress? other) => other is not null && string.Equals(ToString(), other.ToString(), StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is EmailAddress other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(ToString());

    internal static bool ContainsNewline(string? value) => value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0;

    private static string RemoveNewlines(string value) => ContainsNewline(value) ? value.Replace("\r", "").Replace("\n", "") : value;

    private static MailboxAddress Create(string? name, string address, System.Text.Encoding? encoding)
    {
        var cleanAddress = RemoveNewlines(address).Trim().TrimEnd('>');
        var cleanName = name is null ? null : RemoveNewlines(name);
        if (cleanAddress.Length == 0 || !cleanAddress.Contains('@'))
        {
            throw new FormatException($"'{cleanAddress}' is not a valid email address.");
        }

        try
        {
            var mailbox = new MailboxAddress(encoding ?? System.Text.Encoding.UTF8, cleanName, cleanAddress);
            if (mailbox.Domain.Length == 0 || mailbox.LocalPart.Length == 0)
            {
                throw new FormatException($"'{cleanAddress}' is not a valid email address.");
            }

            return mailbox;
        }
        catch (ParseException e)
        {
            throw new FormatException($"'{cleanAddress}' is not a valid email address.", e);
        }
    }
}
