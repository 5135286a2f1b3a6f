using System.Globalization;

namespace MailMvc.Mail.Suppression;

/// <summary>One entry of the <see cref="ISuppressionList"/>.</summary>
public sealed record SuppressedAddress
{
    /// <summary>Creates an entry; the address is kept trimmed and in lower case.</summary>
    /// <param name="address">The bare address (<c>ada@example.com</c>).</param>
    /// <param name="reason">Why it is suppressed.</param>
    /// <param name="since">When it was suppressed.</param>
    /// <param name="detail">What a person reading the list wants to know: the list unsubscribed from, the server's
    /// reply, an administrator's note.</param>
    /// <exception cref="ArgumentException"><paramref name="address"/> is blank.</exception>
    public SuppressedAddress(string address, SuppressionReason reason, DateTimeOffset since, string? detail = null)
    {
        Address = Normalize(address);
        Reason = reason;
        Since = since;
        Detail = string.IsNullOrWhiteSpace(detail) ? null : detail.Trim();
    }

    /// <summary>The address, trimmed and in lower case.</summary>
    public string Address { get; }

    /// <summary>Why it is suppressed.</summary>
    public SuppressionReason Reason { get; }

    /// <summary>When it was suppressed.</summary>
    public DateTimeOffset Since { get; }

    /// <summary>The list unsubscribed from, the server's reply, or an administrator's note; null when none was given.</summary>
    public string? Detail { get; }

    /// <summary>An address as the list keys it: trimmed and in lower case.</summary>
    /// <exception cref="ArgumentException"><paramref name="address"/> is blank.</exception>
    public static string Normalize(string address)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(address);
        return address.Trim().ToLowerInvariant();
    }

    /// <summary>Why no mail goes to the address, for a receipt or a page: "unsubscribed on 2026-05-01 09:12 UTC".</summary>
    public string Describe()
    {
        var on = Since.ToUniversalTime().ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
        return Reason switch
        {
            SuppressionReason.Unsubscribed => $"unsubscribed on {on}",
            SuppressionReason.UnknownRecipient => $"refused as an unknown address on {on}",
            _ => $"suppressed by an administrator on {on}",
        };
    }
}
