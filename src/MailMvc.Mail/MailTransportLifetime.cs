namespace MailMvc.Mail;

/// <summary>Disposes the transports <see cref="MailPipeline"/> built when the container is disposed: pooled connections
/// are closed with QUIT when the app stops.</summary>
internal sealed class MailTransportLifetime(MailPipeline pipeline) : IAsyncDisposable, IDisposable
{
    public ValueTask DisposeAsync() => pipeline.DisposeBuiltAsync();

    public void Dispose() => pipeline.DisposeBuilt();
}
