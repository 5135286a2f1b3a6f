using System.Collections.Concurrent;

namespace MailMvc.Mail.Transport;

/// <summary>
/// Keeps an asynchronous loop on its send thread: the continuations of its awaits (those that do not opt out with
/// <c>ConfigureAwait(false)</c>) are queued back to the thread instead of to the thread pool, so the loop's SMTP
/// exchanges still run where they may block (see <see cref="SendThread"/>), even after an await that had to wait
/// (a PostgreSQL round trip, an idle wait for work).
/// </summary>
internal sealed class SendThreadContext : SynchronizationContext
{
    private readonly BlockingCollection<(SendOrPostCallback Callback, object? State)> _queue = [];

    /// <summary>Runs <paramref name="loop"/> on the current thread until the task it returns has ended.</summary>
    public static void Run(Func<Task> loop)
    {
        var previous = Current;
        var context = new SendThreadContext();
        SetSynchronizationContext(context);
        try
        {
            var task = loop();
            task.ContinueWith(_ => context._queue.CompleteAdding(), CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            foreach (var (callback, state) in context._queue.GetConsumingEnumerable())
            {
                callback(state);
            }

            task.GetAwaiter().GetResult();
        }
        finally
        {
            SetSynchronizationContext(previous);
            context._queue.Dispose();
        }
    }

    public override void Post(SendOrPostCallback d, object? state)
    {
        try
        {
            _queue.Add((d, state));
        }
        catch (Exception e) when (e is InvalidOperationException or ObjectDisposedException)
        {
            // The loop has ended; whatever still comes back runs on the thread pool.
            ThreadPool.QueueUserWorkItem(s => d(s), state);
        }
    }

    public override void Send(SendOrPostCallback d, object? state) =>
        throw new NotSupportedException("A send thread's loop cannot be called into synchronously.");

    public override SynchronizationContext CreateCopy() => this;
}
