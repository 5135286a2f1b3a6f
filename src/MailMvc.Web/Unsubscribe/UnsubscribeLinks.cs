using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using MailMvc.Mail;
using MailMvc.Mail.Suppression;
using MailMvc.Templates;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Unsubscribe;

/// <summary>
/// Makes and reads the one-click unsubscribe links of bulk mail: <c>{BaseUrl}unsubscribe/{token}</c>, where the token
/// is the list and the address with an HMAC-SHA256 of them under <see cref="UnsubscribeOptions.SigningKey"/>, so only
/// this app can make one and any change to it is refused.
/// </summary>
public sealed partial class UnsubscribeLinks
{
    /// <summary>The list name of the welcome CSV's mails.</summary>
    public const string WelcomeList = "welcome";

    private const string Version = "1";

    private readonly byte[] _key;
    private readonly Uri _baseUrl;
    private readonly string? _mailTo;

    public UnsubscribeLinks(IOptions<UnsubscribeOptions> options, IOptions<EmailTemplateOptions> templates, ILogger<UnsubscribeLinks> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(templates);
        if (string.IsNullOrWhiteSpace(options.Value.SigningKey))
        {
            // Development only (the validator refuses this elsewhere).
            _key = RandomNumberGenerator.GetBytes(32);
            LogKeyMadeUp(logger);
        }
        else
        {
            _key = Encoding.UTF8.GetBytes(options.Value.SigningKey.Trim());
        }

        var baseUrl = templates.Value.BaseUrl;
        _baseUrl = new Uri(baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/", UriKind.Absolute);
        _mailTo = string.IsNullOrWhiteSpace(options.Value.MailTo) ? null : options.Value.MailTo.Trim();
    }

    /// <summary>The token for <paramref name="address"/> on <paramref name="list"/>.</summary>
    /// <exception cref="ArgumentException">The address or list is blank, or the list name has a line break.</exception>
    public string CreateToken(string address, string list)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(list);
        if (list.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("A list name cannot contain a line break.", nameof(list));
        }

        var payload = Encoding.UTF8.GetBytes($"{Version}\n{list}\n{SuppressedAddress.Normalize(address)}");
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(HMACSHA256.HashData(_key, payload));
    }

    /// <summary>Reads a token made by <see cref="CreateToken"/> with this key.</summary>
    /// <returns>False for anything else: forged, altered, cut short, or made with another key.</returns>
    public bool TryRead(string? token, [NotNullWhen(true)] out UnsubscribeRequest? request)
    {
        request = null;
        var parts = token?.Split('.') ?? [];
        if (parts.Length != 2 || !TryDecode(parts[0], out var payload) || !TryDecode(parts[1], out var mac)
            || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(_key, payload), mac))
        {
            return false;
        }

        var fields = Encoding.UTF8.GetString(payload).Split('\n');
        if (fields is not [Version, { Length: > 0 } list, { } address] || !EmailAddress.IsValid(address))
        {
            return false;
        }

        request = new UnsubscribeRequest(address, list);
        return true;
    }

    /// <summary>The link for <paramref name="address"/> on <paramref name="list"/>, on the app's public base URL.</summary>
    public Uri LinkFor(string address, string list) => new(_baseUrl, "unsubscribe/" + CreateToken(address, list));

    /// <summary>Makes <paramref name="message"/> a list mail its one recipient can unsubscribe from in one click:
    /// <c>List-Unsubscribe</c> (the link, and the <c>mailto:</c> alternative when configured) and
    /// <c>List-Unsubscribe-Post</c>, which the DKIM signature covers.</summary>
    /// <returns>The link, for the mail's body (a visible link is required as well).</returns>
    /// <exception cref="InvalidOperationException">The message does not go to exactly one address: a link unsubscribes one.</exception>
    public Uri AddTo(Message message, string list)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.SendTo is not [var recipient])
        {
            throw new InvalidOperationException($"An unsubscribe link is for one recipient, and this message goes to {message.SendTo.Count}: send each list member a mail of their own.");
        }

        var address = new EmailAddress(recipient).ToMailboxAddress().Address;
        var link = LinkFor(address, list);
        message.SetListUnsubscribe(link, MailToFor(address, list));
        return link;
    }

    /// <summary>The <c>mailto:</c> alternative, with the token in the subject; null when none is configured.</summary>
    public Uri? MailToFor(string address, string list) =>
        _mailTo is null ? null : new Uri($"mailto:{_mailTo}?subject={Uri.EscapeDataString("unsubscribe " + CreateToken(address, list))}");

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = [];
        if (text.Length == 0 || !Base64Url.IsValid(text))
        {
            return false;
        }

        bytes = Base64Url.DecodeFromChars(text);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Unsubscribe:SigningKey is not set: unsubscribe links are signed with a key made at start-up, so links in mail sent before a restart stop working")]
    private static partial void LogKeyMadeUp(ILogger logger);
}
