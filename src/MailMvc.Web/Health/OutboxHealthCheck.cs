using System.Data.Common;
using System.Globalization;
using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Health;

/// <summary>The outbox's queue: how many mails wait and how long the oldest has waited. Degraded when that is
/// longer than <see cref="MailHealthOptions.OutboxMaxAge"/>; Unhealthy when the outbox database cannot be read.</summary>
public sealed class OutboxHealthCheck : IHealthCheck
{
    private readonly IMailOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly MailHealthOptions _options;

    public OutboxHealthCheck(IMailOutbox outbox, TimeProvider time, IOptions<MailHealthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _time = time;
        _options = options.Value;
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_outbox.IsEnabled)
        {
            return HealthCheckResult.Healthy("The outbox is off: mail is delivered while the request waits.",
                new Dictionary<string, object> { ["enabled"] = false });
        }

        OutboxCounts counts;
        try
        {
            counts = await _outbox.GetCountsAsync(cancellationToken);
        }
        catch (DbException e)
        {
            return HealthCheckResult.Unhealthy("The outbox database cannot be read.", e,
                new Dictionary<string, object> { ["enabled"] = true });
        }

        var age = counts.OldestWaitingSince is { } since ? _time.GetUtcNow() - since : TimeSpan.Zero;
        var data = new Dictionary<string, object>
        {
            ["enabled"] = true,
            ["depth"] = counts.Depth,
            ["queued"] = counts.Queued,
            ["sending"] = counts.Sending,
            ["sent"] = counts.Sent,
            ["failed"] = counts.Failed,
            ["oldestAgeSeconds"] = Math.Round(Math.Max(age.TotalSeconds, 0), 1),
            ["maxAgeSeconds"] = _options.OutboxMaxAge.TotalSeconds,
        };
        return age > _options.OutboxMaxAge
            ? HealthCheckResult.Degraded(string.Create(CultureInfo.InvariantCulture,
                $"{counts.Depth} mail(s) waiting; the oldest for {age.TotalMinutes:0.#} min, longer than {_options.OutboxMaxAge.TotalMinutes:0.#} min."), data: data)
            : HealthCheckResult.Healthy($"{counts.Depth} mail(s) waiting.", data);
    }
}
