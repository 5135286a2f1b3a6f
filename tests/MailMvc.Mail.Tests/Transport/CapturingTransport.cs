using MailMvc.Mail.Transport;
using MimeKit;

namespace MailMvc.Mail.Tests.Transport;

/// <summary>A transport of the test's own, through the public seam: keeps what the mailer hands it.</summary>
public sealed class CapturingTransport : IMailTransport, IMailTransportSession
{
    private readonly List<OutgoingMessage> _sent = [];

    public IReadOnlyList<OutgoingMessage> Sent => _sent;

    public string Description => "capturing transport";

    public bool IsUsable => true;

    /// <summary>What a mailer with <paramref name="options"/> hands its transport for <paramref name="message"/>.</summary>
    public static async Task<(MimeMessage Mime, Envelope Envelope)> PrepareAsync(Message message, MailOptions options)
    {
        var transport = new CapturingTransport();
        options.SuppressSend = false;
        await new Mailer(options, transport).SendAsync(message);
        var sent = Assert.Single(transport.Sent);
        return (sent.Message, sent.Envelope);
    }

    public Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) => Task.FromResult<IMailTransportSession>(this);

    public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
    {
        _sent.Add(new OutgoingMessage(message, envelope));
        return Task.FromResult(new TransportReceipt("250 captured"));
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
