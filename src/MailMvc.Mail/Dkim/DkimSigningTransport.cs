using MailMvc.Mail.Transport;
using MimeKit;
using MimeKit.Cryptography;

namespace MailMvc.Mail.Dkim;

/// <summary>
/// Signs each message with DKIM right before the transport it wraps delivers it (a pipelined run of bulk mails: right
/// before the run). The message is first prepared for
/// 7-bit transport, so no relay (or MailKit itself) re-encodes a part after signing and breaks the body hash. The
/// mailer puts it directly around the base transport when <c>Mail:Dkim</c> is configured: beneath the outbox, queued
/// mail is signed as it is delivered, over the bytes that go on the wire.
/// </summary>
public sealed class DkimSigningTransport : IMailTransportWrapper, IAsyncDisposable, IDisposable
{
    private readonly IMailTransport _inner;
    private readonly DkimSigner _signer;
    private readonly string[] _headers;
    private static readonly object s_signedMark = new();
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<MimeMessage, object> _signed = [];

    /// <summary>Creates the wrapper.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="InvalidOperationException">The key cannot be used; see <see cref="DkimKey.Load"/>.</exception>
    public DkimSigningTransport(IMailTransport inner, DkimOptions options)
    {
        ArgumentNullException.ThrowIfNull(inner);
        ArgumentNullException.ThrowIfNull(options);
        _inner = inner;
        var key = DkimKey.Load(options);
        using var pem = new MemoryStream(System.Text.Encoding.ASCII.GetBytes(key.Pem));
        _signer = new DkimSigner(pem, options.Domain!, options.Selector!, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        _headers = options.Headers.Count > 0 ? [.. options.Headers] : [.. DkimOptions.DefaultHeaders];
        Domain = options.Domain!;
        Selector = options.Selector!;
    }

    /// <summary>The signing domain.</summary>
    public string Domain { get; }

    /// <summary>The selector.</summary>
    public string Selector { get; }

    /// <inheritdoc />
    public IMailTransport Inner => _inner;

    /// <inheritdoc />
    public string Description => $"{_inner.Description}, DKIM-signed for {Domain} (selector {Selector})";

    /// <summary>Wraps <paramref name="inner"/> when <paramref name="options"/> configure DKIM; otherwise returns it.</summary>
    public static IMailTransport WrapIfConfigured(IMailTransport inner, MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Dkim.IsEnabled ? new DkimSigningTransport(inner, options.Dkim) : inner;
    }

    /// <inheritdoc />
    public async Task<IMailTransportSession> OpenAsync(CancellationToken cancellationToken) =>
        await _inner.OpenAsync(cancellationToken).ConfigureAwait(false) switch
        {
            IPipelinedSession pipelined => new PipelinedSession(this, pipelined),
            var session => new Session(this, session),
        };

    /// <summary>Disposes the wrapped transport (its pooled connections).</summary>
    public ValueTask DisposeAsync() => WrappedTransport.DisposeAsync(_inner);

    /// <summary>Disposes the wrapped transport without waiting.</summary>
    public void Dispose() => WrappedTransport.Dispose(_inner);

    /// <summary>Signs <paramref name="message"/> unless this transport has signed it already (a pipelined run sends a
    /// message again on a new connection when the one before was lost before its content went out).</summary>
    private void SignOnce(MimeMessage message)
    {
        if (!_signed.TryGetValue(message, out _))
        {
            Sign(message);
            _signed.AddOrUpdate(message, s_signedMark);
        }
    }

    /// <summary>Signs <paramref name="message"/> in place (adds its DKIM-Signature header).</summary>
    public void Sign(MimeMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        message.Prepare(EncodingConstraint.SevenBit);
        _signer.Sign(WireFormat.Options, message, _headers.Where(h => h.Equals("From", StringComparison.OrdinalIgnoreCase)
            || message.Headers.Contains(h)).ToList());
    }

    private sealed class Session(DkimSigningTransport transport, IMailTransportSession inner) : IMailTransportSession
    {
        public bool IsUsable => inner.IsUsable;

        public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
        {
            transport.Sign(message);
            return inner.SendAsync(message, envelope, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }

    /// <summary>An SMTP connection that pipelines: a run's messages are signed before the run starts. A message a lost
    /// connection never sent goes again on the next connection, signed already: each message is signed once.</summary>
    private sealed class PipelinedSession(DkimSigningTransport transport, IPipelinedSession inner) : IPipelinedSession
    {
        public bool IsUsable => inner.IsUsable;

        public int PipelineDepth => inner.PipelineDepth;

        public Task<TransportReceipt> SendAsync(MimeMessage message, Envelope envelope, CancellationToken cancellationToken)
        {
            transport.SignOnce(message);
            return inner.SendAsync(message, envelope, cancellationToken);
        }

        public int SendPipelined(IReadOnlyList<OutgoingMessage> messages, MessageOutcome outcome, CancellationToken cancellationToken)
        {
            for (var i = 0; i < messages.Count; i++)
            {
                try
                {
                    transport.SignOnce(messages[i].Message);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    if (i > 0)
                    {
                        // The ones before it go now; it comes first in the next run, and fails there.
                        return inner.SendPipelined(messages.Take(i).ToList(), outcome, cancellationToken);
                    }

                    outcome(0, null, e);
                    return 1;
                }
            }

            return inner.SendPipelined(messages, outcome, cancellationToken);
        }

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
