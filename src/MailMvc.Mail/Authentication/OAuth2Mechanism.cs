namespace MailMvc.Mail.Authentication;

/// <summary>The SASL mechanism an OAuth2 login uses (<c>Mail:OAuth2:Mechanism</c>).</summary>
public enum OAuth2Mechanism
{
    /// <summary>AUTH XOAUTH2, the one Microsoft 365 and Gmail document. The default.</summary>
    XOAuth2,

    /// <summary>AUTH OAUTHBEARER (RFC 7628), the standard one.</summary>
    OAuthBearer,
}
