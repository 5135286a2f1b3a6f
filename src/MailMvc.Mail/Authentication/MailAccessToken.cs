namespace MailMvc.Mail.Authentication;

/// <summary>An OAuth2 access token and when it expires. Its <see cref="ToString"/> never shows the token.</summary>
/// <param name="Token">The access token, sent to the server in the SASL exchange.</param>
/// <param name="ExpiresAt">When the token stops being accepted.</param>
public sealed record MailAccessToken(string Token, DateTimeOffset ExpiresAt)
{
    /// <summary>Describes the token without its value, so that logging one leaks nothing.</summary>
    /// <returns><c>access token expiring at …</c>.</returns>
    public override string ToString() => $"access token expiring at {ExpiresAt:O}";
}
