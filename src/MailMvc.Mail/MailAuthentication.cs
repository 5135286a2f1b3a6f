namespace MailMvc.Mail;

/// <summary>How MailMvc logs in to an SMTP server (<c>Mail:Authentication</c>, or per server
/// <c>Mail:Servers:N:Authentication</c>).</summary>
public enum MailAuthentication
{
    /// <summary>With <see cref="MailOptions.Username"/> and <see cref="MailOptions.Password"/> (AUTH PLAIN or LOGIN), or
    /// not at all when no user name is set. The default.</summary>
    Password,

    /// <summary>With an OAuth2 access token (AUTH XOAUTH2 or OAUTHBEARER) for <see cref="MailOptions.Username"/>, from
    /// the provider <see cref="Authentication.OAuth2Options.Provider"/> names.</summary>
    OAuth2,
}
