namespace MailMvc.Mail.Authentication;

/// <summary>An app registration in Microsoft Entra ID that sends as a mailbox with the client-credentials flow
/// (section <c>Mail:OAuth2:Microsoft</c>): the app needs the <c>SMTP.SendAsApp</c> permission with admin consent, and
/// Exchange a service principal with rights on the mailbox.</summary>
public sealed class MicrosoftOAuth2Options
{
    /// <summary>The scope Exchange Online's SMTP takes tokens for.</summary>
    public const string DefaultScope = "https://outlook.office365.com/.default";

    /// <summary>The directory (tenant) ID or a verified domain, such as <c>contoso.onmicrosoft.com</c>.</summary>
    public string? TenantId { get; set; }

    /// <summary>The application (client) ID.</summary>
    public string? ClientId { get; set; }

    /// <summary>The client secret (user-secrets or the environment, never a committed file); or give
    /// <see cref="CertificatePath"/>.</summary>
    public string? ClientSecret { get; set; }

    /// <summary>A PKCS#12 file (<c>.pfx</c>) with the certificate and private key the app registration knows, instead of
    /// <see cref="ClientSecret"/>. A relative path is under the content root.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>The password of <see cref="CertificatePath"/>, if it has one.</summary>
    public string? CertificatePassword { get; set; }

    /// <summary>The sign-in host for another cloud, such as <c>https://login.microsoftonline.us</c>; the tenant is added to
    /// it. Unset means <c>https://login.microsoftonline.com</c>. When set, MSAL's instance discovery is off and the
    /// host is trusted as given.</summary>
    public string? Authority { get; set; }

    /// <summary>The scopes asked for; unset means <see cref="DefaultScope"/>.</summary>
    public string[]? Scopes { get; set; }
}
