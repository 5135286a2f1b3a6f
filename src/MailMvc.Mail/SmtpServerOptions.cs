namespace MailMvc.Mail;

/// <summary>One SMTP server of <see cref="MailOptions.Servers"/>. What is left unset is taken from the flat settings
/// (<see cref="MailOptions.Port"/>, <see cref="MailOptions.UseTls"/>, <see cref="MailOptions.Username"/>…).</summary>
public sealed class SmtpServerOptions
{
    /// <summary>The host.</summary>
    public string? Server { get; set; }

    /// <summary>The port; unset means <see cref="MailOptions.Port"/>.</summary>
    public int? Port { get; set; }

    /// <summary>STARTTLS, required; unset means <see cref="MailOptions.UseTls"/>.</summary>
    public bool? UseTls { get; set; }

    /// <summary>TLS on connect; unset means <see cref="MailOptions.UseSsl"/>.</summary>
    public bool? UseSsl { get; set; }

    /// <summary>The login; unset means <see cref="MailOptions.Username"/>.</summary>
    public string? Username { get; set; }

    /// <summary>The password (user-secrets or the environment); unset means <see cref="MailOptions.Password"/>.</summary>
    public string? Password { get; set; }

    /// <summary>How to log in; unset means <see cref="MailOptions.Authentication"/>.</summary>
    public MailAuthentication? Authentication { get; set; }

    /// <summary>Where this server's OAuth2 tokens come from (<c>Mail:Servers:N:OAuth2</c>); unset means
    /// <see cref="MailOptions.OAuth2"/>. When set, it replaces <c>Mail:OAuth2</c> as a whole for this server.</summary>
    public Authentication.OAuth2Options? OAuth2 { get; set; }

    /// <summary>This server's sending budget (<c>Mail:Servers:0:RateLimit:PerSecond</c>, <c>PerMinute</c>, <c>PerDay</c>);
    /// unset means no limit.</summary>
    public RateLimitOptions? RateLimit { get; set; }
}
