namespace MailMvc.Mail.Authentication;

/// <summary>A Google Cloud service account with domain-wide delegation for the scope <see cref="DefaultScope"/>,
/// which logs in to Gmail's SMTP as a Workspace user (section <c>Mail:OAuth2:Google</c>).</summary>
public sealed class GoogleOAuth2Options
{
    /// <summary>The scope Gmail's SMTP takes tokens for.</summary>
    public const string DefaultScope = "https://mail.google.com/";

    /// <summary>The service account's JSON key file (keep it out of git). A relative path is under the content root.</summary>
    public string? KeyFilePath { get; set; }

    /// <summary>The Workspace user to send as (impersonated); unset means <see cref="MailOptions.Username"/>.</summary>
    public string? User { get; set; }

    /// <summary>The scopes asked for; unset means <see cref="DefaultScope"/>.</summary>
    public string[]? Scopes { get; set; }
}
