using System.Globalization;
using MailMvc.Mail;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Health;

/// <summary>
/// Probes the transport that really delivers (behind the outbox, the one it wraps): opens a session and closes it,
/// which for SMTP is connect, EHLO, TLS and login. Bounded by <see cref="MailHealthOptions.SmtpTimeout"/>; a result
/// is reused for <see cref="MailHealthOptions.SmtpProbeInterval"/>, so health requests do not each open a connection.
/// </summary>
public sealed partial class MailTransportHealthCheck : IHealthCheck, IDisposable
{
    private readonly IMailer _mailer;
    private readonly IServiceProvider _services;
    private readonly ILogger<MailTransportHealthCheck> _logger;
    private readonly TimeProvider _time;
    private readonly MailHealthOptions _options;
    private readonly ReusedResult<HealthCheckResult> _probe;

    public MailTransportHealthCheck(IMailer mailer, IServiceProvider services, ILogger<MailTransportHealthCheck> logger, TimeProvider time,
        IOptions<MailHealthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _mailer = mailer;
        _services = services;
        _logger = logger;
        _time = time;
        _options = options.Value;
        _probe = new ReusedResult<HealthCheckResult>(time);
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_mailer.Options.SuppressSend == true)
        {
            return HealthCheckResult.Healthy("Not probed: sending is suppressed (Mail:SuppressSend).",
                new Dictionary<string, object> { ["probed"] = false });
        }

        // Concurrent requests wait for one probe and share its result.
        return await _probe.GetAsync(_options.SmtpProbeInterval, ProbeAsync, cancellationToken);
    }

    public void Dispose() => _probe.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: {Transport} cannot be used")]
    private static partial void LogProbeFailed(ILogger logger, string transport, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: closing the probe's session of {Transport} failed")]
    private static partial void LogCloseFailed(ILogger logger, string transport, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Health: {Transport} did not answer within {Seconds} s")]
    private static partial void LogProbeTimedOut(ILogger logger, string transport, double seconds);

    private async Task<HealthCheckResult> ProbeAsync(CancellationToken cancellationToken)
    {
        var transport = _services.GetRequiredService<IMailTransport>();
        var delivery = transport is IQueueingMailTransport queueing ? queueing.DeliveryTransport : transport;
        // Anyone may read /healthz: the answer says whether mail can be delivered, the log says where and why not.
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
            var session = await delivery.OpenAsync(timeout.Token);
            data["elapsedMs"] = (long)_time.GetElapsedTime(started).TotalMilliseconds;
            try
            {
                await session.DisposeAsync();
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The server answered; a session that fails to close (a transport of the user's own) says nothing more.
                LogCloseFailed(_logger, delivery.Description, e);
            }

            return HealthCheckResult.Healthy("The mail server answers.", data);
        }
        catch (MailBudgetExceededException)
        {
            // The server is fine, the budget is spent: nothing is opened until it has room (the budgets check says when).
            data["error"] = "budget";
            return HealthCheckResult.Degraded("Not probed: the sending budget is used up for now; see the budgets check.", data: data);
        }
        catch (MailDeliveryException e)
        {
            LogProbeFailed(_logger, delivery.Description, e);
            data["error"] = e.GetType().Name;
            return HealthCheckResult.Unhealthy("The mail server does not answer; the log says why.", data: data);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            LogProbeTimedOut(_logger, delivery.Description, _options.SmtpTimeout.TotalSeconds);
            data["error"] = "timeout";
            return HealthCheckResult.Unhealthy(string.Create(CultureInfo.InvariantCulture,
                $"The mail server did not answer within {_options.SmtpTimeout.TotalSeconds:0.#} s."), data: data);
        }
    }
}
