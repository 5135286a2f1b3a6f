namespace MailMvc.Mail.Tests;

/// <summary>The hand-off queue between a bulk run's threads (preparing or build thread, send threads): a thread
/// gathering a batch is woken once the messages it still wants are there.</summary>
public sealed class HandOffQueueTests
{
    [Fact]
    public async Task Take_TwoThreadsGatheringBatchesOfDifferentSizes_EachWokenWhenItsMessagesArrive()
    {
        using var queue = new HandOffQueue<int>(100, CancellationToken.None);
        var linger = TimeSpan.FromSeconds(5);
        queue.Add(1);
        var small = new List<int>();
        var smallTaking = Task.Factory.StartNew(() => queue.Take(small, max: 3, linger), TaskCreationOptions.LongRunning);
        Assert.True(await HoldsWithinAsync(() => small.Count == 1, TimeSpan.FromSeconds(10)), "The condition never held.");
        queue.Add(2);
        var large = new List<int>();
        var largeTaking = Task.Factory.StartNew(() => queue.Take(large, max: 50, linger), TaskCreationOptions.LongRunning);
        await Task.Delay(200); // the second thread takes one and waits for 49 more

        queue.Add(3);
        queue.Add(4);

        // Without the smaller want waking them, both would sleep their whole 5 s linger with the two messages queued.
        var taken = await HoldsWithinAsync(() => small.Count + large.Count == 4, TimeSpan.FromSeconds(2));
        queue.Complete();
        await Task.WhenAll(smallTaking, largeTaking).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(taken, "The two messages stayed in the queue while both threads waited for more.");
        Assert.Equal([1, 2, 3, 4], small.Concat(large).Order());
    }

    /// <summary>Whether <paramref name="condition"/> holds at some point within <paramref name="within"/>.</summary>
    private static async Task<bool> HoldsWithinAsync(Func<bool> condition, TimeSpan within)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed >= within)
            {
                return false;
            }

            await Task.Delay(10);
        }

        return true;
    }
}
