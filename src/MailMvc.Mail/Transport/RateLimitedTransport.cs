using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>
/// Holds a transport to a sending budget (<see cref="RateLimitOptions"/>, in this process): a send over the second's
/// or minute's budget waits for room; over the day's it fails as a transient failure about the server, before any
/// connection, so <see cref="MultiServerTransport"/> moves on to the next server and the outbox keeps the mail until
/// the day resets.
/// </summary>
internal sealed class RateLimitedTransport : IMailTransportWrapper, IAsyncDisposable, IDisposable
{
    private readonly IMailTransport _inner;
    private readonly SendBudget _budget;
    private readonly RateLimitOptions _limits;
    private readonly string _daySetting;
    private readonly TimeProvider _time;

    /// <param name="inner">The transport held to the budget.</param>
    /// <param name="limits">The budget.</param>
    /// <param name="daySetting">The setting of the day's budget, for the error (<c>Mail:Servers:0:RateLimit:PerDay</c>).</param>
    /// <param name="time">The clock.</param>
    public RateLimitedTransport(IMailTransport inner, RateLimitOptions limits, string daySetting, TimeProvider time)
    {
        _inner = inner;
        _limits = limits;
        _daySetting = daySetting;
        _time = time;
        _budget = new SendBudget(limits, time);
    }

    public IMailTransport Inner => _inner;

    public string Description => _inner.Description;

    /// <summary>Wraps <paramref name="inner"/> when <paramref name="limits"/> (from the section <paramref name="section"/>) sets any limit.</summary>
    public static IMailTransport WrapIfSet(IMailTransport inner, RateLimitOptions? limits, string section, TimeProvider time) =>
        limits is { IsSet: true } ? new RateLimitedTransport(inner, limits, $"{section}:PerDay", time) : inner;

    public async Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken)
    {
        if (_limits.PerDay is { } perDay && _budget.UsedToday >= perDay)
        {
            throw DayUsedUp(perDay);
        }

        return new Session(this, await _inner.OpenAsync(cancellationToken).ConfigureAwait(false));
    }

    public ValueTask DisposeAsync() => WrappedTransport.DisposeAsync(_inner);

    public void Dispose() => WrappedTransport.Dispose(_inner);

    private async Task TakeAsync(CancellationToken cancellationToken)
    {
        while (!_budget.TryTake(out var wait))
        {
            if (wait is not { } delay)
            {
                throw DayUsedUp(_limits.PerDay!.Value);
            }

            await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    // Like a server that is away: nothing more goes today, whichever mail it is; the outbox waits (by age alone).
    private MailDeliveryException DayUsedUp(int perDay) => new(
        $"{_inner.Description} has sent its {perDay} mail(s) for today ({_daySetting}); the budget resets at " +
        $"{_budget.ResetsAt:yyyy-MM-dd HH:mm} UTC. With the outbox on, the mail waits until then; raise {_daySetting} to send more today.",
        null, isTransient: true, isConnectionFailure: true);

    private sealed class Session(RateLimitedTransport transport, IMailTransportSession inner) : IMailTransportSession
    {
        public bool IsUsable => inner.IsUsable;

        public async Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
        {
            await transport.TakeAsync(cancellationToken).ConfigureAwait(false);
            return await inner.SendAsync(message, envelope, cancellationToken).ConfigureAwait(false);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
