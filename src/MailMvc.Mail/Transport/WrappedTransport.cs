namespace MailMvc.Mail.Transport;

/// <summary>How a wrapping transport disposes the transport it wraps (it owns it, as the container built them).</summary>
internal static class WrappedTransport
{
    /// <summary>Disposes <paramref name="inner"/>: asynchronously when it can, else synchronously, else nothing.</summary>
    public static ValueTask DisposeAsync(IMailTransport inner)
    {
        if (inner is IAsyncDisposable disposable)
        {
            return disposable.DisposeAsync();
        }

        (inner as IDisposable)?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>Disposes <paramref name="inner"/> without waiting, when it is disposable.</summary>
    public static void Dispose(IMailTransport inner) => (inner as IDisposable)?.Dispose();
}
