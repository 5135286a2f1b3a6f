namespace MailMvc.Mail.Authentication;

/// <summary>Where an OAuth2 login's token comes from (section <c>Mail:OAuth2</c>, or per server
/// <c>Mail:Servers:N:OAuth2</c>, which then replaces the whole of <c>Mail:OAuth2</c> for that server).</summary>
public sealed class OAuth2Options
{
    /// <summary>The provider name for Microsoft 365 (Microsoft Entra ID client credentials).</summary>
    public const string MicrosoftProvider = "Microsoft";

    /// <summary>The provider name for a Google Workspace service account with domain-wide delegation.</summary>
    public const string GoogleProvider = "Google";

    /// <summary>The provider name for the <see cref="IMailTokenProvider"/> registered with
    /// <see cref="MailBuilder.UseTokenProvider{TProvider}()"/>.</summary>
    public const string CustomProvider = "Custom";

    /// <summary><see cref="MicrosoftProvider"/>, <see cref="GoogleProvider"/> or <see cref="CustomProvider"/> (any case).</summary>
    public string? Provider { get; set; }

    /// <summary>The SASL mechanism: <see cref="OAuth2Mechanism.XOAuth2"/> (the default) or
    /// <see cref="OAuth2Mechanism.OAuthBearer"/>.</summary>
    public OAuth2Mechanism Mechanism { get; set; }

    /// <summary>Microsoft 365 (section <c>Mail:OAuth2:Microsoft</c>), for <see cref="MicrosoftProvider"/>.</summary>
    public MicrosoftOAuth2Options Microsoft { get; set; } = new();

    /// <summary>A Google service account (section <c>Mail:OAuth2:Google</c>), for <see cref="GoogleProvider"/>.</summary>
    public GoogleOAuth2Options Google { get; set; } = new();

    /// <summary>True when <see cref="Provider"/> is <paramref name="name"/>, in any case.</summary>
    internal bool Is(string name) => string.Equals(Provider?.Trim(), name, StringComparison.OrdinalIgnoreCase);
}
