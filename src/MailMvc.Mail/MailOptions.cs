using System.Net.Security;

namespace MailMvc.Mail;

/// <summary>
/// Settings for <see cref="IMailer"/>, bound from the <c>Mail</c> configuration section and from
/// Flask-Mail's <c>MAIL_*</c> environment variables. Every Flask-Mail setting has a property here.
/// </summary>
public sealed class MailOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Mail";

    /// <summary>The SMTP host (<c>MAIL_SERVER</c>). When no server is configured, SMTP uses <c>localhost</c>,
    /// and in Development mail goes to the pickup directory instead.</summary>
    public string? Server { get; set; }

    /// <summary>The SMTP port (<c>MAIL_PORT</c>), 25 by default.</summary>
    public int Port { get; set; } = 25;

    /// <summary>Upgrade the connection with STARTTLS (<c>MAIL_USE_TLS</c>); sending fails if the server cannot.</summary>
    public bool UseTls { get; set; }

    /// <summary>Start TLS on connect (<c>MAIL_USE_SSL</c>), usually on port 465.</summary>
    public bool UseSsl { get; set; }

    /// <summary>Log the SMTP exchange, with AUTH secrets redacted (<c>MAIL_DEBUG</c>). Unset means on in Development.</summary>
    public bool? Debug { get; set; }

    /// <summary>The user name to authenticate with (<c>MAIL_USERNAME</c>).</summary>
    public string? Username { get; set; }

    /// <summary>The password to authenticate with (<c>MAIL_PASSWORD</c>). Keep it in user-secrets or the environment.</summary>
    public string? Password { get; set; }

    /// <summary>How to log in: <see cref="MailAuthentication.Password"/> (the default) or
    /// <see cref="MailAuthentication.OAuth2"/>, with a token from <see cref="OAuth2"/> for <see cref="Username"/>.</summary>
    public MailAuthentication Authentication { get; set; }

    /// <summary>Where OAuth2 tokens come from (section <c>Mail:OAuth2</c>), with <see cref="MailAuthentication.OAuth2"/>.</summary>
    public Authentication.OAuth2Options OAuth2 { get; set; } = new();

    /// <summary>The sender used when a message has none (<c>MAIL_DEFAULT_SENDER</c>):
    /// <c>"addr"</c> or <c>"Name &lt;addr&gt;"</c>.</summary>
    public string? DefaultSender { get; set; }

    /// <summary>Reconnect after this many mails on one connection (<c>MAIL_MAX_EMAILS</c>). Unset means never.</summary>
    public int? MaxEmails { get; set; }

    /// <summary>Build, record and dispatch messages but talk to no server (<c>MAIL_SUPPRESS_SEND</c>).
    /// Unset means on when the host environment is <c>Testing</c>.</summary>
    public bool? SuppressSend { get; set; }

    /// <summary>Transliterate attachment file names to ASCII (<c>MAIL_ASCII_ATTACHMENTS</c>).</summary>
    public bool AsciiAttachments { get; set; }

    /// <summary>How long one network step (connect, a command, sending one message) may take
    /// (<c>MAIL_TIMEOUT</c>), 30 seconds by default. Flask-Mail waits forever.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where mail goes: <see cref="MailDeliveryMethod.Smtp"/> or
    /// <see cref="MailDeliveryMethod.PickupDirectory"/>. Unset means the pickup directory in Development
    /// when no <see cref="Server"/> is configured, SMTP otherwise.</summary>
    public MailDeliveryMethod? DeliveryMethod { get; set; }

    /// <summary>The folder the pickup-directory transport writes <c>.eml</c> files to. Relative paths are
    /// under the content root; unset means <c>App_Data/mail-pickup</c>.</summary>
    public string? PickupDirectory { get; set; }

    /// <summary>Idle SMTP connections kept open, logged in, for the next sends (nodemailer's <c>pool</c>): a web request
    /// that sends one mail then skips connect, EHLO, TLS and login. 0 (the default) opens a connection per send and
    /// closes it after, as Flask-Mail does.</summary>
    public int PoolSize { get; set; }

    /// <summary>How long a pooled connection may stay idle before it is closed (QUIT), 30 seconds by default: shorter than
    /// servers wait before they drop an idle client.</summary>
    public TimeSpan PoolIdleTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>DKIM signing (section <c>Mail:Dkim</c>), off until a domain is set.</summary>
    public Dkim.DkimOptions Dkim { get; set; } = new();

    /// <summary>What the traces may carry (section <c>Mail:Telemetry</c>): no addresses unless allowed.</summary>
    public Telemetry.MailTelemetryOptions Telemetry { get; set; } = new();

    /// <summary>For staging: send every message to this address instead of its recipients, keeping them in an
    /// <c>X-Original-To</c> header and marking the subject (<see cref="Interception.RedirectToInterceptor"/>).
    /// Unset (the default) means mail goes where it is addressed.</summary>
    public string? RedirectTo { get; set; }

    /// <summary>The name this client gives in EHLO; unset means the machine's name. Useful when several
    /// instances share a server's logs.</summary>
    public string? LocalDomain { get; set; }

    /// <summary>Check certificate revocation during TLS handshakes (on by default).</summary>
    public bool CheckCertificateRevocation { get; set; } = true;

    /// <summary>Overrides certificate validation. Meant for test fixtures with a self-signed certificate;
    /// set only in code, never from configuration.</summary>
    public RemoteCertificateValidationCallback? ServerCertificateValidationCallback { get; set; }

    /// <summary>Several SMTP servers (section <c>Mail:Servers</c>, a list): a connection goes to one of them as
    /// <see cref="ServerStrategy"/> says, and a server that cannot be reached (refused, timed out, a 4xx or 5xx at
    /// connect, a failed login or TLS) is left out for <see cref="ServerCooldown"/>. Empty (the default) means the one
    /// server of the flat settings.</summary>
    public IList<SmtpServerOptions> Servers { get; set; } = [];

    /// <summary>With <see cref="Servers"/>: <see cref="Mail.ServerStrategy.Failover"/> (the default) or
    /// <see cref="Mail.ServerStrategy.RoundRobin"/>.</summary>
    public ServerStrategy ServerStrategy { get; set; }

    /// <summary>How long a server that could not be reached is left out before it is tried again, 30 seconds by default.</summary>
    public TimeSpan ServerCooldown { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The sending budget of the single server of the flat settings (<c>Mail:RateLimit:PerSecond</c>,
    /// <c>PerMinute</c>, <c>PerDay</c>); with <see cref="Servers"/>, each server has its own. Kept in this process, or with
    /// the outbox on in its database, for every instance.</summary>
    public RateLimitOptions RateLimit { get; set; } = new();

    /// <summary>The emergency brake: at most this many mails a UTC day through this process (with the outbox on, through
    /// every instance sharing it), whatever the servers' budgets. Unset means none.</summary>
    public int? DailyLimit { get; set; }

    /// <summary>A copy of these settings aimed at one of <see cref="Servers"/>.</summary>
    internal MailOptions For(SmtpServerOptions server)
    {
        var copy = (MailOptions)MemberwiseClone();
        copy.Server = server.Server;
        copy.Port = server.Port ?? Port;
        copy.UseTls = server.UseTls ?? UseTls;
        copy.UseSsl = server.UseSsl ?? UseSsl;
        copy.Username = server.Username ?? Username;
        copy.Password = server.Password ?? Password;
        copy.Authentication = server.Authentication ?? Authentication;
        copy.OAuth2 = server.OAuth2 ?? OAuth2;
        copy.Servers = [];
        return copy;
    }

    /// <summary>The pickup directory when none is configured, under the content root.</summary>
    internal static string DefaultPickupDirectory { get; } = Path.Combine("App_Data", "mail-pickup");

    /// <summary>The host SMTP connects to: <see cref="Server"/>, or <c>localhost</c> as in Flask-Mail.</summary>
    public string SmtpHost => string.IsNullOrWhiteSpace(Server) ? "localhost" : Server;
}
