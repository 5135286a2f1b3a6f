using System.Diagnostics.Metrics;

namespace MailMvc.Mail.Outbox;

/// <summary>The outbox's figures, through <see cref="System.Diagnostics.Metrics"/> (meter <c>MailMvc.Mail</c>).</summary>
internal sealed class OutboxMetrics : IDisposable
{
    /// <summary>The meter's name, to listen to with OpenTelemetry or <c>dotnet-counters</c>.</summary>
    public const string MeterName = Telemetry.MailTelemetry.SourceName;

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly Counter<long> _enqueued;
    private readonly Counter<long> _sent;
    private readonly Counter<long> _failed;
    private readonly Counter<long> _retried;
    private readonly Histogram<double> _delay;
    private long _depth;
    private double _oldestAgeSeconds;

    /// <param name="meterFactory">The host's meter factory, which scopes the meter to its services; without one
    /// the meter is created (and disposed) here.</param>
    public OutboxMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _enqueued = _meter.CreateCounter<long>("mailmvc.outbox.enqueued", "{mail}", "Mails stored in the outbox");
        _sent = _meter.CreateCounter<long>("mailmvc.outbox.sent", "{mail}", "Mails the server accepted");
        _failed = _meter.CreateCounter<long>("mailmvc.outbox.failed", "{mail}", "Mails refused for good or given up on");
        _retried = _meter.CreateCounter<long>("mailmvc.outbox.retried", "{mail}", "Temporary failures scheduled for another attempt");
        _delay = _meter.CreateHistogram<double>("mailmvc.outbox.delivery_delay", "s", "Time from enqueue to delivery");
        _meter.CreateObservableGauge("mailmvc.outbox.depth", () => Volatile.Read(ref _depth), "{mail}", "Mails queued or being sent");
        _meter.CreateObservableGauge("mailmvc.outbox.oldest_age", () => Volatile.Read(ref _oldestAgeSeconds), "s", "Age of the oldest mail not yet delivered");
    }

    public void Enqueued(int count) => _enqueued.Add(count);

    public void Sent(TimeSpan sinceEnqueued)
    {
        _sent.Add(1);
        _delay.Record(sinceEnqueued.TotalSeconds);
    }

    public void Failed() => _failed.Add(1);

    public void Retried() => _retried.Add(1);

    public void Observe(OutboxBacklog backlog, DateTimeOffset now)
    {
        Volatile.Write(ref _depth, backlog.Depth);
        Volatile.Write(ref _oldestAgeSeconds, backlog.OldestWaitingSince is { } since ? (now - since).TotalSeconds : 0);
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }
}
