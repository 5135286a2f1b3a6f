namespace MailMvc.Mail.Transport;

/// <summary>
/// The threads <see cref="IMailer.SendManyAsync{TState}"/> sends on: one per connection, owned by the mailer, so a
/// session may block on its socket there instead of handing every reply to the thread pool.
/// </summary>
/// <remarks>Measured on a 2-core machine: an SMTP exchange awaited on the thread pool costs two or three thread
/// hand-offs per mail (context switches and spinning thread-pool workers were more than half the CPU per mail),
/// where a blocking exchange on one thread costs none. Anywhere else (a web request), sessions stay asynchronous.</remarks>
internal static class SendThread
{
    [ThreadStatic]
    private static bool s_isSendThread;

    /// <summary>True on a send thread: the caller owns the thread, and blocking it holds up nobody else.</summary>
    public static bool IsCurrent => s_isSendThread;

    /// <summary>Starts <paramref name="body"/> on a new background thread marked as a send thread.</summary>
    public static Thread Start(string name, Action body)
    {
        var thread = new Thread(() =>
        {
            s_isSendThread = true;
            body();
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.Start();
        return thread;
    }

    /// <summary>Waits for <paramref name="task"/> on a send thread. A task that is already done (a blocking session
    /// finished it before returning) costs nothing; another (an outbox store, a user's HTTP transport) blocks this
    /// thread only, which no one else uses.</summary>
    public static T Wait<T>(Task<T> task) => task.GetAwaiter().GetResult();

    /// <inheritdoc cref="Wait{T}(Task{T})"/>
    public static void Wait(Task task) => task.GetAwaiter().GetResult();

    /// <summary>Starts <paramref name="start"/> with no synchronization context and waits for it. Code the thread blocks
    /// on must not have captured the thread's own context (an outbox worker's <see cref="SendThreadContext"/>): its
    /// continuations would be queued to this thread, which waits for them, for ever. A user's token provider that awaits
    /// without <c>ConfigureAwait(false)</c> is such code.</summary>
    public static T Run<T>(Func<Task<T>> start)
    {
        var context = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(null);
        try
        {
            return Wait(start());
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(context);
        }
    }

    /// <inheritdoc cref="Wait{T}(Task{T})"/>
    public static T Wait<T>(ValueTask<T> task) => task.IsCompletedSuccessfully ? task.Result : task.AsTask().GetAwaiter().GetResult();

    /// <inheritdoc cref="Wait{T}(Task{T})"/>
    public static void Wait(ValueTask task)
    {
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }
}
