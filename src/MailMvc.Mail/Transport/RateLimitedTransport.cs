using MimeKit;

namespace MailMvc.Mail.Transport;

/// <summary>
/// Holds a transport to a sending budget (<see cref="RateLimitOptions"/>), counted by an <see cref="ISendBudgetStore"/>:
/// in this process by default, in the outbox's database with the outbox on. A send over the second's budget waits for
/// its slot; over a window the store cannot wait for (the day's; with the outbox also the minute's) it fails with
/// <see cref="MailBudgetExceededException"/> before any connection, so <see cref="MultiServerTransport"/> moves on to the
/// next server and the outbox keeps the mail queued until the window has room.
/// </summary>
internal sealed class RateLimitedTransport : IMailTransportWrapper, IAsyncDisposable, IDisposable
{
    private readonly IMailTransport _inner;
    private readonly ISendBudgetStore _store;
    private readonly string _budget;
    private readonly RateLimitOptions _limits;
    private readonly string _section;
    private readonly TimeProvider _time;

    /// <param name="inner">The transport held to the budget.</param>
    /// <param name="store">Where the budget is counted.</param>
    /// <param name="budget">The budget's name in <paramref name="store"/> (a server's <c>host:port</c>).</param>
    /// <param name="limits">The budget.</param>
    /// <param name="section">The budget's settings, for the error (<c>Mail:Servers:0:RateLimit</c>).</param>
    /// <param name="time">The clock.</param>
    public RateLimitedTransport(IMailTransport inner, ISendBudgetStore store, string budget, RateLimitOptions limits, string section, TimeProvider time)
    {
        _inner = inner;
        _store = store;
        _budget = budget;
        _limits = limits;
        _section = section;
        _time = time;
    }

    public IMailTransport Inner => _inner;

    public string Description => _inner.Description;

    /// <summary>Wraps <paramref name="inner"/> when <paramref name="limits"/> (from the section <paramref name="section"/>) sets any limit.</summary>
    public static IMailTransport WrapIfSet(IMailTransport inner, ISendBudgetStore store, string budget, RateLimitOptions? limits, string section,
        TimeProvider time) =>
        limits is { IsSet: true } ? new RateLimitedTransport(inner, store, budget, limits, section, time) : inner;

    public async Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken)
    {
        var state = await _store.GetStateAsync(_budget, _limits, cancellationToken).ConfigureAwait(false);
        if (state is { FullUntil: { } until, FullPeriod: { } period })
        {
            throw UsedUp(period, until, until);
        }

        return new Session(this, await _inner.OpenAsync(cancellationToken).ConfigureAwait(false));
    }

    public ValueTask DisposeAsync() => WrappedTransport.DisposeAsync(_inner);

    public void Dispose() => WrappedTransport.Dispose(_inner);

    /// <exception cref="MailBudgetExceededException">The budget has no room.</exception>
    private async Task TakeAsync(CancellationToken cancellationToken)
    {
        var take = await _store.TakeAsync(_budget, _limits, cancellationToken).ConfigureAwait(false);
        if (take is { FullUntil: { } until, FullPeriod: { } period })
        {
            // Another connection may go to another server that has room: the outbox tries the mail again at once, and
            // opening a connection then finds out.
            throw UsedUp(period, until, _time.GetUtcNow());
        }

        if (take.Wait > TimeSpan.Zero)
        {
            await Task.Delay(take.Wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task GiveBackAsync()
    {
        try
        {
            await _store.GiveBackAsync(_budget, _limits, CancellationToken.None).ConfigureAwait(false);
        }
        catch (MailDeliveryException)
        {
            // The store cannot be reached: the mail stays counted, which errs on the side of sending less.
        }
    }

    // Like a server that is away: nothing more goes until the window ends, whichever mail it is.
    private MailBudgetExceededException UsedUp(SendBudgetPeriod period, DateTimeOffset until, DateTimeOffset retryAt)
    {
        var (setting, limit, window) = period switch
        {
            SendBudgetPeriod.Day => ("PerDay", _limits.PerDay, "today"),
            SendBudgetPeriod.Minute => ("PerMinute", _limits.PerMinute, "this minute"),
            _ => ("PerSecond", _limits.PerSecond, "this second"),
        };
        // The brake is one setting (Mail:DailyLimit); a server's budget a section of three.
        var key = _budget == SendBudgets.AllMail ? _section : $"{_section}:{setting}";
        var resets = period == SendBudgetPeriod.Day ? $"{until:yyyy-MM-dd HH:mm} UTC" : $"{until:yyyy-MM-dd HH:mm:ss} UTC";
        return new MailBudgetExceededException(
            $"{_inner.Description} has sent its {limit} mail(s) for {window} ({key}); the budget resets at {resets}. " +
            $"With the outbox on, the mail waits until then; raise {key} to send more.",
            retryAt);
    }

    private sealed class Session(RateLimitedTransport transport, IMailTransportSession inner) : IMailTransportSession
    {
        private bool _usedUp;

        public bool IsUsable => !_usedUp && inner.IsUsable;

        public async Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
        {
            try
            {
                await transport.TakeAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (MailBudgetExceededException)
            {
                // The next mail opens a new session, which fails over to a server with room, or says when there is room again.
                _usedUp = true;
                throw;
            }

            try
            {
                return await inner.SendAsync(message, envelope, cancellationToken).ConfigureAwait(false);
            }
            catch (MailBudgetExceededException)
            {
                // A budget beneath (a server's, under the daily brake) had no room: this mail did not go, so it does not count.
                await transport.GiveBackAsync().ConfigureAwait(false);
                throw;
            }
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
