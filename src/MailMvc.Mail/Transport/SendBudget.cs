namespace MailMvc.Mail.Transport;

/// <summary>One process's count of the mails a <see cref="RateLimitOptions"/> budget allowed. A second's budget is
/// kept by spacing the mails evenly (20 a second: one every 50 ms), so no burst at a window's start bunches up at the
/// server; a minute's by a sliding window of the last minute's sends; a day's by a count per UTC day.</summary>
internal sealed class SendBudget
{
    private static readonly TimeSpan s_second = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_minute = TimeSpan.FromMinutes(1);

    private readonly RateLimitOptions _limits;
    private readonly TimeProvider _time;
    private DateTimeOffset _nextSlot;
    private readonly Queue<DateTimeOffset> _lastMinute = new();
    private readonly Lock _lock = new();
    private DateOnly _day;
    private int _today;

    public SendBudget(RateLimitOptions limits, TimeProvider time)
    {
        _limits = limits;
        _time = time;
    }

    /// <summary>Takes room for one mail now, or says how long to wait for it; null wait and false means the day's
    /// budget is used up until <see cref="ResetsAt"/>.</summary>
    /// <returns>True when the mail may go now.</returns>
    public bool TryTake(out TimeSpan? wait)
    {
        lock (_lock)
        {
            var now = _time.GetUtcNow();
            var day = DateOnly.FromDateTime(now.UtcDateTime);
            if (day != _day)
            {
                (_day, _today) = (day, 0);
            }

            if (_limits.PerDay is { } perDay && _today >= perDay)
            {
                wait = null;
                return false;
            }

            wait = (_limits.PerSecond is not null && now < _nextSlot ? _nextSlot - now : (TimeSpan?)null) ?? Wait(_lastMinute, _limits.PerMinute, s_minute, now);
            if (wait is not null)
            {
                return false;
            }

            _today++;
            if (_limits.PerSecond is { } perSecond)
            {
                _nextSlot = (now > _nextSlot ? now : _nextSlot) + (s_second / perSecond);
            }

            if (_limits.PerMinute is not null)
            {
                _lastMinute.Enqueue(now);
            }

            return true;
        }
    }

    /// <summary>Gives back the day's count of a mail that was not sent after all (the minute's stays taken: it only waits).</summary>
    public void GiveBack()
    {
        lock (_lock)
        {
            if (DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime) == _day && _today > 0)
            {
                _today--;
            }
        }
    }

    /// <summary>Mails sent today (UTC) within this budget.</summary>
    public int UsedToday
    {
        get
        {
            lock (_lock)
            {
                return DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime) == _day ? _today : 0;
            }
        }
    }

    /// <summary>When the day's budget starts again: the next UTC midnight.</summary>
    public DateTimeOffset ResetsAt => new(DateOnly.FromDateTime(_time.GetUtcNow().UtcDateTime).AddDays(1), TimeOnly.MinValue, TimeSpan.Zero);

    private static TimeSpan? Wait(Queue<DateTimeOffset> window, int? limit, TimeSpan length, DateTimeOffset now)
    {
        if (limit is not { } max)
        {
            return null;
        }

        while (window.Count > 0 && now - window.Peek() >= length)
        {
            window.Dequeue();
        }

        // Full: room comes when the oldest send of the window leaves it.
        return window.Count < max ? null : window.Peek() + length - now;
    }
}
