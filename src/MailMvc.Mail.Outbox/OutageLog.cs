using Microsoft.Extensions.Logging;

namespace MailMvc.Mail.Outbox;

/// <summary>
/// Logs an outage of the delivery transport (a server down, refusing connections or logins) as two lines, a warning
/// when it starts and a summary when delivery works again, instead of a warning per mail and attempt. Shared by the
/// workers of one instance.
/// </summary>
internal sealed partial class OutageLog
{
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly HashSet<Exception> _seen = new(ReferenceEqualityComparer.Instance);
    private DateTimeOffset? _since;
    private int _putOff;

    public OutageLog(ILogger logger, TimeProvider time)
    {
        _logger = logger;
        _time = time;
    }

    /// <summary>True while an outage is going on: per-mail lines then go to Debug.</summary>
    public bool IsOngoing
    {
        get
        {
            lock (_lock)
            {
                return _since is not null;
            }
        }
    }

    /// <summary>A mail could not be attempted because of the transport: the first one starts the outage.</summary>
    public void Failed(Exception error)
    {
        lock (_lock)
        {
            _putOff++;
            if (_since is not null)
            {
                _seen.Add(error);
                return;
            }

            if (_seen.Contains(error))
            {
                // The rest of a batch that failed before delivery worked again, recorded after: not a new outage.
                return;
            }

            _seen.Clear();
            _seen.Add(error);
            _since = _time.GetUtcNow();
        }

        LogStarted(_logger, error.Message);
    }

    /// <summary>A mail was delivered: an outage going on is over.</summary>
    public void Delivered()
    {
        DateTimeOffset since;
        int putOff;
        lock (_lock)
        {
            if (_since is not { } started)
            {
                return;
            }

            since = started;
            putOff = _putOff;
            _since = null;
            _putOff = 0;
        }

        LogEnded(_logger, (_time.GetUtcNow() - since).TotalSeconds, putOff);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Outbox: mail cannot be delivered, the outbox keeps it and tries again with back-off (one line until it works again): {Reason}")]
    private static partial void LogStarted(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox: delivery works again after {Seconds:0.#} s; {Attempts} attempt(s) were put off meanwhile")]
    private static partial void LogEnded(ILogger logger, double seconds, int attempts);
}
