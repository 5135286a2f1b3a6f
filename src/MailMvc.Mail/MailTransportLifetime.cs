namespace MailMvc.Mail;

/// <summary>Disposes the transports <see cref="MailPipeline"/> built when the container is disposed: pooled connections
/// are closed with QUIT when the app stops.</summary>
internal sealed class MailTransportLifetime(MailPipeline pipeline) : IAsyncDisposable
{
    public ValueTask DisposeAsync() => pipeline.DisposeBuiltAsync();
}
