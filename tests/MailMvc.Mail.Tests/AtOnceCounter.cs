namespace MailMvc.Mail.Tests;

/// <summary>Counts the calls running at once and the most that ever ran together, for tests that check what overlaps.</summary>
internal sealed class AtOnceCounter
{
    private int _running;
    private int _most;

    /// <summary>The most calls that ran at once so far.</summary>
    public int Most => Volatile.Read(ref _most);

    /// <summary>Counts a call in.</summary>
    /// <returns>How many run now, this one included.</returns>
    public int Enter()
    {
        var running = Interlocked.Increment(ref _running);
        var seen = Volatile.Read(ref _most);
        while (running > seen && Interlocked.CompareExchange(ref _most, running, seen) is var before && before != seen)
        {
            seen = before;
        }

        return running;
    }

    /// <summary>Counts a call out.</summary>
    public void Exit() => Interlocked.Decrement(ref _running);
}
