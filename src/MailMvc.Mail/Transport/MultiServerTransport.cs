namespace MailMvc.Mail.Transport;

/// <summary>
/// Several transports (<see cref="MailOptions.Servers"/>) behind one: each new session goes to the first that can be
/// opened, in list order (<see cref="ServerStrategy.Failover"/>) or starting at the next one in turn
/// (<see cref="ServerStrategy.RoundRobin"/>). One that cannot be opened is left out for the cool-down, then tried again;
/// when all are cooling down they are tried all the same. Only opening fails over: a refusal of a message or a
/// recipient on an open session is that message's answer, never a reason to send it elsewhere.
/// </summary>
public sealed class MultiServerTransport : IMailTransport, IAsyncDisposable, IDisposable
{
    private readonly IReadOnlyList<IMailTransport> _servers;
    private readonly ServerStrategy _strategy;
    private readonly TimeSpan _cooldown;
    private readonly TimeProvider _time;
    private readonly long[] _coolingUntil;
    private int _next = -1;

    /// <summary>Creates the transport.</summary>
    /// <exception cref="ArgumentException"><paramref name="servers"/> is empty.</exception>
    public MultiServerTransport(IReadOnlyList<IMailTransport> servers, ServerStrategy strategy, TimeSpan cooldown, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(time);
        if (servers.Count == 0)
        {
            throw new ArgumentException("Give at least one server.", nameof(servers));
        }

        _servers = servers;
        _strategy = strategy;
        _cooldown = cooldown;
        _time = time;
        _coolingUntil = new long[servers.Count];
    }

    /// <summary>The servers' transports, in order.</summary>
    internal IReadOnlyList<IMailTransport> Servers => _servers;

    /// <inheritdoc />
    public string Description => $"{(_strategy == ServerStrategy.RoundRobin ? "round-robin" : "failover")} over " +
        string.Join(", ", _servers.Select(s => s.Description));

    /// <inheritdoc />
    /// <exception cref="MailDeliveryException">No server could be opened; the message lists why for each.</exception>
    public async Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken)
    {
        var start = _strategy == ServerStrategy.RoundRobin ? (int)((uint)Interlocked.Increment(ref _next) % (uint)_servers.Count) : 0;
        var order = Enumerable.Range(0, _servers.Count).Select(i => (start + i) % _servers.Count).ToList();
        var now = _time.GetTimestamp();
        // Servers that are cooling down go last, not away: when every one is down, each is still tried.
        var ready = order.Where(i => Volatile.Read(ref _coolingUntil[i]) <= now).Concat(order.Where(i => Volatile.Read(ref _coolingUntil[i]) > now));
        var failures = new List<MailDeliveryException>();
        foreach (var index in ready)
        {
            try
            {
                var session = await _servers[index].OpenAsync(cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _coolingUntil[index], 0);
                return session;
            }
            catch (MailDeliveryException e) when (e.IsConnectionFailure || e.IsTransient)
            {
                Volatile.Write(ref _coolingUntil[index], _time.GetTimestamp() + (long)(_cooldown.TotalSeconds * _time.TimestampFrequency));
                failures.Add(e);
            }
        }

        if (failures.TrueForAll(f => f is MailBudgetExceededException))
        {
            // Every server's budget is used up: the mail waits for the first to have room, as with one server.
            throw new MailBudgetExceededException($"None of the {_servers.Count} mail servers has budget left: " +
                string.Join(" ", failures.Select(f => f.Message)), failures.Cast<MailBudgetExceededException>().Min(f => f.RetryAt));
        }

        throw new MailDeliveryException(
            $"None of the {_servers.Count} mail servers could be used: " + string.Join(" ", failures.Select(f => f.Message)),
            failures[^1].ServerReply, isTransient: true, new AggregateException(failures), isConnectionFailure: true);
    }

    /// <summary>Closes what the servers' transports keep open (pooled connections).</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers.OfType<IAsyncDisposable>())
        {
            await server.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Drops what the servers' transports keep open, without QUIT.</summary>
    public void Dispose()
    {
        foreach (var server in _servers.OfType<IDisposable>())
        {
            server.Dispose();
        }
    }
}
