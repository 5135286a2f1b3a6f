using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests.Transport;

/// <summary>A transport of the user's own whose sessions take one mail each and throw as they are closed.</summary>
public sealed class ThrowingOnCloseTransport : IMailTransport
{
    private int _opened;
    private int _sent;
    private int _closed;

    public int Opened => Volatile.Read(ref _opened);

    public int Sent => Volatile.Read(ref _sent);

    public int Closed => Volatile.Read(ref _closed);

    public string Description => "a transport whose sessions throw as they close";

    public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _opened);
        return Task.FromResult<IMailTransportSession>(new Session(this));
    }

    private sealed class Session(ThrowingOnCloseTransport transport) : IMailTransportSession
    {
        public bool IsUsable { get; private set; } = true;

        public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
        {
            IsUsable = false;
            Interlocked.Increment(ref transport._sent);
            return Task.FromResult(new TransportReceipt("250 taken"));
        }

        public ValueTask DisposeAsync()
        {
            Interlocked.Increment(ref transport._closed);
            throw new InvalidOperationException("closing failed");
        }
    }
}
