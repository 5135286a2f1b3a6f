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

    /// <summary>This server's sending budget (<c>Mail:Servers:0:RateLimit:PerSecond</c>, <c>PerMinute</c>, <c>PerDay</c>);
    /// unset means no limit.</summary>
    public RateLimitOptions? RateLimit { get; set; }
}
