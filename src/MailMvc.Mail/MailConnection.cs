using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailMvc.Mail;

/// <summary>A connection scope: sends messages over one transport session, reconnecting after MaxEmails.</summary>
internal sealed partial class MailConnection : IMailConnection
{
    private readonly Mailer _mailer;
    private readonly IMailTransport? _transport;
    private readonly ILogger _logger;
    private IMailTransportSession? _session;
    private int _sentOnSession;

    public MailConnection(Mailer mailer, IMailTransport? transport, ILogger logger)
    {
        _mailer = mailer;
        _transport = transport;
        _logger = logger;
    }

    public int SentCount { get; private set; }

    /// <summary>Checks a message as Flask-Mail does before sending, and fills in its date.</summary>
    /// <returns>The MIME message and its envelope.</returns>
    internal static (MimeMessage Mime, Envelope Envelope) Prepare(Message message, MailOptions options)
    {
        if (message.SendTo.Count == 0)
        {
            throw new ArgumentException("The message has no recipients; add at least one To, Cc or Bcc address.", nameof(message));
        }

        if (message.Sender is null && string.IsNullOrWhiteSpace(options.DefaultSender))
        {
            throw new ArgumentException("The message has no sender; set Message.Sender or Mail:DefaultSender.", nameof(message));
        }

        if (message.FindBadHeader() is { } field)
        {
            throw new BadHeaderException($"A line break in {field} could inject mail headers; nothing was sent.");
        }

        var esmtp = EsmtpOptions.Parse(message.MailOptions, message.RcptOptions);
        message.Date ??= DateTimeOffset.Now;
        if (message.ExtraHeaders.TryGetValue("Message-ID", out var messageId) && messageId.Trim().Trim('<', '>') is { Length: > 0 } id)
        {
            // An explicit Message-ID replaces the generated one (Flask-Mail would send both), and logs and events show it.
            message.MessageId = id;
        }
        // As Flask-Mail does, the recorded message shows who it was sent from.
        if (message.Sender is null && options.DefaultSender is { } defaultSender)
        {
            message.Sender = defaultSender;
        }
        var mime = message.ToMimeMessage(options);
        var sender = mime.From.Mailboxes.First();
        var recipients = message.SendTo.Select(r => EmailAddress.Parse(r)).ToList();
        return (mime, new Envelope(sender, recipients, esmtp));
    }

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_transport is not null)
        {
            _session = await _transport.OpenAsync(cancellationToken).ConfigureAwait(false);
            _sentOnSession = 0;
        }
    }

    public async Task SendAsync(Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (mime, envelope) = Prepare(message, _mailer.Options);
        string? transcript = null;
        if (_transport is not null)
        {
            var session = await GetSessionAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                transcript = await session.SendAsync(mime, envelope, cancellationToken).ConfigureAwait(false);
            }
            catch (MailDeliveryException e)
            {
                LogFailed(_logger, message.MessageId, e.GetType().Name, e.Message);
                throw;
            }

            _sentOnSession++;
            LogSent(_logger, message.MessageId, envelope.Recipients.Count);
        }

        SentCount++;
        _mailer.OnDispatched(new MessageDispatchedEventArgs(message, mime, _mailer.DeliveryMethod, transcript));
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync().ConfigureAwait(false);
            _session = null;
        }
    }

    private async Task<IMailTransportSession> GetSessionAsync(CancellationToken cancellationToken)
    {
        var limitReached = _mailer.Options.MaxEmails is { } max && _sentOnSession >= max;
        if (_session is { IsUsable: true } && !limitReached)
        {
            return _session;
        }

        await DisposeAsync().ConfigureAwait(false);
        await OpenAsync(cancellationToken).ConfigureAwait(false);
        return _session!;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Sent {MessageId} to {RecipientCount} recipient(s)")]
    private static partial void LogSent(ILogger logger, string messageId, int recipientCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {MessageId} failed ({Error}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string messageId, string error, string reason);
}
