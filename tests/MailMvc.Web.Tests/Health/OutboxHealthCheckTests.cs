using MailMvc.Mail.Outbox;
using MailMvc.Web.Health;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MailMvc.Web.Tests.Health;

/// <summary>The outbox check of /healthz: anyone may ask it, so the outbox table is counted once per
/// Health:OutboxCountsInterval however many requests come.</summary>
public sealed class OutboxHealthCheckTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 3, 8, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task CheckHealthAsync_RequestsWithinTheInterval_CountedOnceAndTheOldestMailsAgeStillGrows()
    {
        var outbox = new CountingOutbox(new OutboxCounts(2, 1, 40, 0, _time.GetUtcNow() - TimeSpan.FromSeconds(10)));
        using var check = Check(outbox, TimeSpan.FromSeconds(5));

        var first = await check.CheckHealthAsync(new HealthCheckContext());
        _time.Advance(TimeSpan.FromSeconds(3));
        outbox.Counts = new OutboxCounts(0, 0, 43, 0, null);
        var second = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(1, outbox.Reads);
        Assert.Equal((3L, 10.0), ((long)first.Data["depth"], (double)first.Data["oldestAgeSeconds"]));
        Assert.Equal((3L, 13.0), ((long)second.Data["depth"], (double)second.Data["oldestAgeSeconds"]));
    }

    [Fact]
    public async Task CheckHealthAsync_IntervalPassed_CountedAgain()
    {
        var outbox = new CountingOutbox(new OutboxCounts(2, 1, 40, 0, _time.GetUtcNow()));
        using var check = Check(outbox, TimeSpan.FromSeconds(5));

        await check.CheckHealthAsync(new HealthCheckContext());
        _time.Advance(TimeSpan.FromSeconds(5));
        outbox.Counts = new OutboxCounts(0, 0, 43, 0, null);
        var later = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(2, outbox.Reads);
        Assert.Equal(0L, (long)later.Data["depth"]);
    }

    [Fact]
    public async Task CheckHealthAsync_IntervalZero_CountedEveryTime()
    {
        var outbox = new CountingOutbox(new OutboxCounts(0, 0, 0, 0, null));
        using var check = Check(outbox, TimeSpan.Zero);

        await check.CheckHealthAsync(new HealthCheckContext());
        await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal(2, outbox.Reads);
    }

    [Fact]
    public async Task CheckHealthAsync_ManyRequestsWhileTheCountRuns_ShareIt()
    {
        var counting = new TaskCompletionSource<OutboxCounts>(TaskCreationOptions.RunContinuationsAsynchronously);
        var outbox = new CountingOutbox(counting.Task);
        using var check = Check(outbox, TimeSpan.FromSeconds(5));

        var checks = Enumerable.Range(0, 20).Select(_ => check.CheckHealthAsync(new HealthCheckContext())).ToList();
        counting.SetResult(new OutboxCounts(5, 0, 0, 0, _time.GetUtcNow()));
        var results = await Task.WhenAll(checks);

        Assert.Equal(1, outbox.Reads);
        Assert.All(results, r => Assert.Equal(5L, (long)r.Data["depth"]));
    }

    [Fact]
    public async Task CheckHealthAsync_DatabaseCannotBeRead_UnhealthyAndNotAskedAgainWithinTheInterval()
    {
        var outbox = new CountingOutbox(Task.FromException<OutboxCounts>(new SqliteException("unable to open database file", 14)));
        using var check = Check(outbox, TimeSpan.FromSeconds(5));

        var first = await check.CheckHealthAsync(new HealthCheckContext());
        var second = await check.CheckHealthAsync(new HealthCheckContext());

        Assert.Equal((HealthStatus.Unhealthy, HealthStatus.Unhealthy), (first.Status, second.Status));
        Assert.Equal("The outbox database cannot be read.", second.Description);
        Assert.Equal(1, outbox.Reads);
    }

    private OutboxHealthCheck Check(IMailOutbox outbox, TimeSpan interval) =>
        new(outbox, _time, Options.Create(new MailHealthOptions { OutboxCountsInterval = interval }));

    /// <summary>An outbox that only counts, and counts how often it is asked.</summary>
    private sealed class CountingOutbox(Task<OutboxCounts> counts) : IMailOutbox
    {
        private int _reads;

        public CountingOutbox(OutboxCounts counts)
            : this(Task.FromResult(counts))
        {
        }

        public OutboxCounts Counts
        {
            set => counts = Task.FromResult(value);
        }

        public int Reads => _reads;

        public bool IsEnabled => true;

        public string Description => "counting";

        public Task<OutboxCounts> GetCountsAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return counts;
        }

        public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<OutboxEntry?> GetAsync(long id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<OutboxAttempt>> GetAttemptsAsync(long id, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();

        public Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<bool> CancelAsync(long id, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<OutboxEntry>> ListScheduledAsync(int limit, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }
}
