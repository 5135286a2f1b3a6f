using System.Diagnostics.Metrics;

namespace MailMvc.Benchmarks;

/// <summary>Counts the outbox's deliveries and permanent failures in this process through its published metrics
/// (meter <c>MailMvc.Mail</c>: <c>mailmvc.outbox.sent</c>, <c>mailmvc.outbox.failed</c>), as <c>dotnet-counters</c> would.</summary>
internal sealed class OutboxOutcomes : IDisposable
{
    private readonly MeterListener _listener = new();
    private long _sent;
    private long _failed;

    public OutboxOutcomes()
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "MailMvc.Mail" && instrument.Name is "mailmvc.outbox.sent" or "mailmvc.outbox.failed")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == "mailmvc.outbox.sent")
            {
                Interlocked.Add(ref _sent, value);
            }
            else
            {
                Interlocked.Add(ref _failed, value);
            }
        });
        _listener.Start();
    }

    public long Sent => Interlocked.Read(ref _sent);

    public long Failed => Interlocked.Read(ref _failed);

    public void Dispose() => _listener.Dispose();
}
