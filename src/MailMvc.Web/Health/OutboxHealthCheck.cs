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
    private readonly SemaphoreSlim _reading = new(1, 1);
    private (OutboxCounts? Counts, DbException? Error, long At)? _last;

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

        var (counts, error) = await ReadCountsAsync(cancellationToken);
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

    public void Dispose() => _reading.Dispose();

    /// <summary>The outbox's counts, or why they cannot be read: the last read while it is recent enough, else a new one.</summary>
    private async Task<(OutboxCounts? Counts, DbException? Error)> ReadCountsAsync(CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            // Concurrent requests wait for one read and share it.
            if (_last is { } last && _time.GetElapsedTime(last.At) < _options.OutboxCountsInterval)
            {
                return (last.Counts, last.Error);
            }

            OutboxCounts? counts = null;
            DbException? error = null;
            try
            {
                counts = await _outbox.GetCountsAsync(cancellationToken);
            }
            catch (DbException e) when (!cancellationToken.IsCancellationRequested)
            {
                // A failure the request's own cancellation caused (a client gone, the check's timeout) says nothing of the
                // database: it goes to that request only, not into what the next requests are told.
                error = e;
            }

            _last = (counts, error, _time.GetTimestamp());
            return (counts, error);
        }
        finally
        {
            _reading.Release();
        }
    }
}
