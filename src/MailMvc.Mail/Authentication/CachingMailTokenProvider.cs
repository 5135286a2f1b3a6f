using System.Collections.Concurrent;

namespace MailMvc.Mail.Authentication;

/// <summary>Keeps each login's token until shortly before it expires (5 minutes, or a tenth of its lifetime when that
/// is shorter), so that a list of mails costs one token request, and a token is never sent in its last minutes.</summary>
internal sealed class CachingMailTokenProvider : IMailTokenProvider
{
    private static readonly TimeSpan s_maximumMargin = TimeSpan.FromMinutes(5);

    private readonly IMailTokenProvider _inner;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<MailTokenRequest, Entry> _tokens = new();
    private readonly SemaphoreSlim _fetching = new(1, 1);

    public CachingMailTokenProvider(IMailTokenProvider inner, TimeProvider time)
    {
        _inner = inner;
        _time = time;
    }

    /// <summary>The provider whose tokens this keeps: the one a failure names.</summary>
    public IMailTokenProvider Inner => _inner;

    public async Task<MailAccessToken> GetTokenAsync(MailTokenRequest request, CancellationToken cancellationToken = default)
    {
        if (Fresh(request) is { } cached)
        {
            return cached;
        }

        // One fetch at a time: a list's send threads all start without a token, and one request serves them all.
        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(request) is { } fetchedMeanwhile)
            {
                return fetchedMeanwhile;
            }

            if (_tokens.TryRemove(request, out var stale))
            {
                // Past its margin: the provider's own cache (MSAL's) must not hand the same token back.
                _inner.Invalidate(request, stale.Token);
            }

            var token = await _inner.GetTokenAsync(request, cancellationToken).ConfigureAwait(false);
            var now = _time.GetUtcNow();
            var margin = TimeSpan.FromTicks(Math.Min(s_maximumMargin.Ticks, Math.Max(0, (token.ExpiresAt - now).Ticks / 10)));
            _tokens[request] = new Entry(token, token.ExpiresAt - margin);
            return token;
        }
        finally
        {
            _fetching.Release();
        }
    }

    public void Invalidate(MailTokenRequest request, MailAccessToken token)
    {
        // Only this token: another thread may already have fetched its successor.
        if (_tokens.TryGetValue(request, out var entry) && entry.Token == token)
        {
            _tokens.TryRemove(new KeyValuePair<MailTokenRequest, Entry>(request, entry));
        }

        _inner.Invalidate(request, token);
    }

    private MailAccessToken? Fresh(MailTokenRequest request) =>
        _tokens.TryGetValue(request, out var entry) && _time.GetUtcNow() < entry.RefreshAt ? entry.Token : null;

    private sealed record Entry(MailAccessToken Token, DateTimeOffset RefreshAt);
}
