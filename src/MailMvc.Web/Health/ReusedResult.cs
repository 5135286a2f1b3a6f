namespace MailMvc.Web.Health;

/// <summary>A result that costs something to get (a connection opened, a table counted) and that anyone asking
/// <c>/healthz</c> can make the app get: read once and shared by the requests within <c>maxAge</c> of it, concurrent
/// requests waiting for one read.</summary>
internal sealed class ReusedResult<T>(TimeProvider time) : IDisposable
{
    private readonly SemaphoreSlim _reading = new(1, 1);
    private (T Result, long At)? _last;

    /// <summary>The last result while it is younger than <paramref name="maxAge"/>, else a new one from
    /// <paramref name="read"/>. A read that throws is not kept: the next request reads again.</summary>
    public async Task<T> GetAsync(TimeSpan maxAge, Func<CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        await _reading.WaitAsync(cancellationToken);
        try
        {
            if (_last is { } last && time.GetElapsedTime(last.At) < maxAge)
            {
                return last.Result;
            }

            var result = await read(cancellationToken);
            _last = (result, time.GetTimestamp());
            return result;
        }
        finally
        {
            _reading.Release();
        }
    }

    public void Dispose() => _reading.Dispose();
}
