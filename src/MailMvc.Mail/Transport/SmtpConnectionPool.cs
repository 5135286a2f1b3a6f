namespace MailMvc.Mail.Transport;

/// <summary>
/// Idle SMTP connections kept open for the next sends (<see cref="MailOptions.PoolSize"/>), as nodemailer's pool does:
/// a web request that sends one mail reuses a logged-in connection instead of connect, EHLO, TLS, login and QUIT.
/// A connection is taken only while its socket is alive and it has sent fewer than <see cref="MailOptions.MaxEmails"/>;
/// one idle for <see cref="MailOptions.PoolIdleTimeout"/> is closed (QUIT) before the server would drop it.
/// </summary>
internal sealed class SmtpConnectionPool : IAsyncDisposable, IDisposable
{
    private readonly int _capacity;
    private readonly TimeSpan _idleTimeout;
    private readonly TimeProvider _time;
    private readonly Stack<(SmtpMailTransportSession Session, long ReturnedAt)> _idle = new();
    private readonly Lock _lock = new();
    private readonly ITimer _sweeper;
    private bool _disposed;

    public SmtpConnectionPool(int capacity, TimeSpan idleTimeout, TimeProvider time)
    {
        _capacity = capacity;
        _idleTimeout = idleTimeout;
        _time = time;
        var period = idleTimeout / 2;
        _sweeper = time.CreateTimer(_ => Sweep(), null, period, period);
    }

    /// <summary>The number of idle connections now.</summary>
    public int IdleCount
    {
        get
        {
            lock (_lock)
            {
                return _idle.Count;
            }
        }
    }

    /// <summary>The most recently used idle connection that is still alive, or null; expired and dead ones are closed.</summary>
    public SmtpMailTransportSession? TryTake()
    {
        var discarded = new List<SmtpMailTransportSession>();
        SmtpMailTransportSession? taken = null;
        lock (_lock)
        {
            while (taken is null && _idle.TryPop(out var entry))
            {
                if (_time.GetElapsedTime(entry.ReturnedAt) < _idleTimeout && entry.Session.IsAlive)
                {
                    taken = entry.Session;
                }
                else
                {
                    discarded.Add(entry.Session);
                }
            }
        }

        Close(discarded);
        return taken;
    }

    /// <summary>Keeps a connection whose user is done with it, if it is alive and there is room.</summary>
    /// <returns>False when the caller must close it.</returns>
    public bool TryReturn(SmtpMailTransportSession session)
    {
        if (!session.IsAlive)
        {
            return false;
        }

        lock (_lock)
        {
            if (_disposed || _idle.Count >= _capacity)
            {
                return false;
            }

            _idle.Push((session, _time.GetTimestamp()));
            return true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<SmtpMailTransportSession> all;
        lock (_lock)
        {
            _disposed = true;
            all = _idle.Select(e => e.Session).ToList();
            _idle.Clear();
        }

        await _sweeper.DisposeAsync().ConfigureAwait(false);
        foreach (var session in all)
        {
            await session.CloseAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Drops the idle connections without QUIT (a synchronous shutdown cannot wait for the server).</summary>
    public void Dispose()
    {
        List<SmtpMailTransportSession> all;
        lock (_lock)
        {
            _disposed = true;
            all = _idle.Select(e => e.Session).ToList();
            _idle.Clear();
        }

        _sweeper.Dispose();
        foreach (var session in all)
        {
            session.Abort();
        }
    }

    private void Sweep()
    {
        var expired = new List<SmtpMailTransportSession>();
        lock (_lock)
        {
            var keep = _idle.Reverse().Where(e => _time.GetElapsedTime(e.ReturnedAt) < _idleTimeout).ToList();
            expired.AddRange(_idle.Select(e => e.Session).Except(keep.Select(k => k.Session)));
            _idle.Clear();
            foreach (var entry in keep)
            {
                _idle.Push(entry);
            }
        }

        Close(expired);
    }

    private static void Close(List<SmtpMailTransportSession> sessions)
    {
        foreach (var session in sessions)
        {
            // QUIT in the background: CloseAsync bounds itself by the timeout and swallows a server that already hung up.
            _ = session.CloseAsync();
        }
    }
}
