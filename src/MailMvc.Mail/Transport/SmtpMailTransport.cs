using System.Net.Sockets;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.Extensions.Logging;

namespace MailMvc.Mail.Transport;

/// <summary>
/// Delivers over SMTP with MailKit, one connection per session, as <see cref="MailOptions"/> says: server, port,
/// TLS (required when asked for, never a fallback to plain text), login, timeout, EHLO name, and the SMTP transcript
/// (log category <see cref="TranscriptCategory"/>) when Debug is on.
/// </summary>
public sealed class SmtpMailTransport : IMailTransport, IAsyncDisposable, IDisposable
{
    private readonly MailOptions _options;
    private readonly ILoggerFactory _loggerFactory;
    private readonly SmtpConnectionPool? _pool;
    private readonly Authentication.IMailTokenProvider? _tokens;

    /// <summary>The log category of the SMTP transcript.</summary>
    public const string TranscriptCategory = SmtpTranscriptLogger.Category;

    /// <summary>Creates the transport.</summary>
    /// <param name="options">The server and how to reach it.</param>
    /// <param name="loggerFactory">Where the transcript goes when <see cref="MailOptions.Debug"/> is on.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public SmtpMailTransport(MailOptions options, ILoggerFactory? loggerFactory = null)
        : this(options, loggerFactory, tokenProvider: null)
    {
    }

    /// <summary>Creates the transport with the token provider an OAuth2 login uses.</summary>
    /// <param name="options">The server and how to reach it.</param>
    /// <param name="loggerFactory">Where the transcript goes when <see cref="MailOptions.Debug"/> is on.</param>
    /// <param name="tokenProvider">Where the access tokens of <see cref="MailAuthentication.OAuth2"/> come from; null means
    /// the provider <see cref="MailOptions.OAuth2"/> names (Microsoft or Google), cached until shortly before expiry.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="InvalidOperationException">OAuth2 is configured with the Custom provider and no
    /// <paramref name="tokenProvider"/>.</exception>
    public SmtpMailTransport(MailOptions options, ILoggerFactory? loggerFactory, Authentication.IMailTokenProvider? tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _loggerFactory = loggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        _pool = options.PoolSize > 0 ? new SmtpConnectionPool(options.PoolSize, options.PoolIdleTimeout, TimeProvider.System) : null;
        _tokens = options.Authentication != MailAuthentication.OAuth2 ? null
            : tokenProvider ?? Authentication.MailTokenProviders.Create(options, services: null);
    }

    /// <inheritdoc />
    public string Description =>
        $"SMTP {_options.SmtpHost}:{_options.Port}" + (_options.UseSsl ? " (TLS on connect)" : _options.UseTls ? " (STARTTLS required)" : "");

    /// <inheritdoc />
    public async Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken)
    {
        if (_pool?.TryTake() is { } pooled)
        {
            pooled.MarkReused();
            return pooled;
        }

        var transcript = _options.Debug == true ? new SmtpTranscriptLogger(_loggerFactory.CreateLogger(SmtpTranscriptLogger.Category)) : null;
        var client = transcript is null ? new MailMvcSmtpClient() : new MailMvcSmtpClient(transcript);
        client.Timeout = (int)Math.Min(int.MaxValue, _options.Timeout.TotalMilliseconds);
        client.CheckCertificateRevocation = _options.CheckCertificateRevocation;
        if (!string.IsNullOrWhiteSpace(_options.LocalDomain))
        {
            client.LocalDomain = _options.LocalDomain;
        }
        if (_options.ServerCertificateValidationCallback is { } callback)
        {
            client.ServerCertificateValidationCallback = callback;
        }

        var session = new SmtpMailTransportSession(client, transcript, _options, _tokens) { ReturnToPool = _pool is null ? null : _pool.TryReturn };
        try
        {
            await session.ConnectAsync(cancellationToken).ConfigureAwait(false);
            return session;
        }
        catch
        {
            await session.CloseAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Drops the pooled idle connections without QUIT; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => _pool?.Dispose();

    /// <summary>Closes the pooled idle connections (QUIT).</summary>
    public async ValueTask DisposeAsync()
    {
        if (_pool is not null)
        {
            await _pool.DisposeAsync().ConfigureAwait(false);
        }
    }
}
