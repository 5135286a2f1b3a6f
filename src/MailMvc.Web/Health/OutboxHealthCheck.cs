using System.Data.Common;
using System.Globalization;
using MailMvc.Mail;
using MailMvc.Mail.Outbox;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Health;

/// <summary>The outbox's queue: how many mails wait and how long the oldest has waited. Degraded when that is
/// longer than <see cref="MailHealthOptions.OutboxMaxAge"/>; Unhealthy when the outbox database cannot be read.</summary>
/// <remarks>Counting reads an entry for every mail in the outbox, sent mail kept for <c>Mail:Outbox:KeepSent</c>
/// included, and anyone may ask <c>/healthz</c>: the counts (or the database's failure) are read once per
/// <see cref="MailHealthOptions.OutboxCountsInterval"/> and shared by the requests in between, so a stream of health
/// requests costs the database one count per interval. The oldest mail's age is worked out at each request.</remarks>
public sealed class OutboxHealthCheck : IHealthCheck, IDisposable
{
    private readonly IMailOutbox _outbox;
    private readonly TimeProvider _time;
    private readonly MailHealthOptions _options;
    private readonly ReusedResult<(OutboxCounts? Counts, DbException? Error)> _counts;

    public OutboxHealthCheck(IMailOutbox outbox, TimeProvider time, IOptions<MailHealthOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _outbox = outbox;
        _time = time;
        _options = options.Value;
        _counts = new ReusedResult<(OutboxCounts? Counts, DbException? Error)>(time);
    }

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!_outbox.IsEnabled)
        {
            return HealthCheckResult.Healthy("The outbox is off: mail is delivered while the request waits.",
                new Dictionary<string, object> { ["enabled"] = false });
        }

        // Concurrent requests wait for one read and share it.
        var (counts, error) = await _counts.GetAsync(_options.OutboxCountsInterval, ReadCountsAsync, cancellationToken);
        if (counts is null)
        {
            return HealthCheckResult.Unhealthy("The outbox database cannot be read.", error,
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

    public void Dispose() => _counts.Dispose();

    /// <summary>The outbox's counts, or why the database cannot give them (kept for the next requests like counts).</summary>
    private async Task<(OutboxCounts? Counts, DbException? Error)> ReadCountsAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await _outbox.GetCountsAsync(cancellationToken), null);
        }
        catch (DbException e) when (!cancellationToken.IsCancellationRequested)
        {
            // A failure the request's own cancellation caused (a client gone, the check's timeout) says nothing of the
            // database: it is thrown to that request only, not kept for the next ones.
            return (null, e);
        }
    }
}
