using System.Globalization;
using MailMvc.Mail;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Health;

/// <summary>
/// Whether the SMTP server answers: opens a connection (greeting, EHLO, TLS and login as configured) and closes
/// it, within <see cref="MailHealthOptions.SmtpTimeout"/>. Unhealthy when it does not; skipped when mail does not
/// go over SMTP. A result is reused for <see cref="MailHealthOptions.SmtpProbeInterval"/>. Registered as a
/// singleton, so that reuse spans requests.
/// </summary>
public sealed partial class SmtpHealthCheck : IHealthCheck, IDisposable
{
    private readonly IMailer _mailer;
    private readonly IOptionsFactory<MailOptions> _mailOptions;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<SmtpHealthCheck> _logger;
    private readonly TimeProvider _time;
    private readonly MailHealthOptions _options;
    private readonly SemaphoreSlim _probing = new(1, 1);
    private IMailer? _probe;
    private (HealthCheckResult Result, DateTimeOffset At)? _last;

    public SmtpHealthCheck(IMailer mailer, IOptionsFactory<MailOptions> mailOptions, ILoggerFactory loggerFactory, TimeProvider time,
        IOptions<MailHealthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _mailer = mailer;
        _mailOptions = mailOptions;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<SmtpHealthCheck>();
        _time = time;
        _options = options.Value;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_mailer.DeliveryMethod != MailDeliveryMethod.Smtp)
        {
            return HealthCheckResult.Healthy($"Not probed: mail goes to {_mailer.DeliveryMethod}, not over SMTP.",
                new Dictionary<string, object> { ["probed"] = false, ["deliveryMethod"] = _mailer.DeliveryMethod.ToString() });
        }

        await _probing.WaitAsync(cancellationToken);
        try
        {
            // Concurrent requests wait for one probe and share its result.
            if (_last is { } last && _time.GetUtcNow() - last.At < _options.SmtpProbeInterval)
            {
                return last.Result;
            }

            var result = await ProbeAsync(cancellationToken);
            _last = (result, _time.GetUtcNow());
            return result;
        }
        finally
        {
            _probing.Release();
        }
    }

    public void Dispose() => _probing.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: the SMTP server {Server}:{Port} does not answer")]
    private static partial void LogProbeFailed(ILogger logger, string server, int port, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: the SMTP server {Server}:{Port} did not answer within {Seconds} s")]
    private static partial void LogProbeTimedOut(ILogger logger, string server, int port, double seconds);

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        // Anyone may read /healthz: the answer says whether the server answers, the log says which server and why not.
        var options = _mailer.Options;
        var data = new Dictionary<string, object>
        {
            ["probed"] = true,
            ["checkedAt"] = _time.GetUtcNow().ToString("o", CultureInfo.InvariantCulture),
        };
        var started = _time.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.SmtpTimeout);
        try
        {
            await using (await Probe.ConnectAsync(timeout.Token))
            {
                data["elapsedMs"] = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            }

            return HealthCheckResult.Healthy("The SMTP server answers.", data);
        }
        catch (MailDeliveryException e)
        {
            LogProbeFailed(_logger, options.SmtpHost, options.Port, e);
            data["error"] = e.GetType().Name;
            return HealthCheckResult.Unhealthy("The SMTP server does not answer; the log says why.", data: data);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogProbeTimedOut(_logger, options.SmtpHost, options.Port, _options.SmtpTimeout.TotalSeconds);
            data["error"] = "timeout";
            return HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture,
                $"The SMTP server did not answer within {_options.SmtpTimeout.TotalSeconds:0.#} s."), data: data);
        }
    }

    /// <summary>
    /// A mailer that talks to the server directly. In queued mode the app's own <see cref="IMailer.ConnectAsync"/>
    /// opens a connection to the outbox, which says nothing about the server; this one is built from the same
    /// settings (a fresh copy, so the app's are untouched) with the outbox off and no transcript, so probes do not
    /// fill the SMTP log.
    /// </summary>
    private IMailer Probe => _probe ??= CreateProbe();

    private Mailer CreateProbe()
    {
        var options = _mailOptions.Create(Microsoft.Extensions.Options.Options.DefaultName);
        options.Outbox.Enabled = false;
        options.Debug = false;
        return new Mailer(options, _loggerFactory);
    }
}
