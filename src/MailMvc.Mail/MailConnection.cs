using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace MailMvc.Mail;

/// <summary>A connection scope: sends messages over one transport session, reconnecting after MaxEmails.</summary>
internal sealed partial class MailConnection : IMailConnection
{
    private readonly Mailer _mailer;
    private readonly ReconnectingSession? _session;
    private readonly ILogger _logger;

    public MailConnection(Mailer mailer, IMailTransport? transport, ILogger logger)
    {
        _mailer = mailer;
        _session = transport is null ? null : new ReconnectingSession(transport, mailer.Options.MaxEmails);
        _logger = logger;
    }

    public int SentCount { get; private set; }

    /// <summary>Checks a message as Flask-Mail does before sending, and fills in its date.</summary>
    /// <returns>The MIME message and its envelope.</returns>
    internal static (MimeMessage Mime, Envelope Envelope) Prepare(Message message, MailOptions options)
    {
        var sendTo = message.SendTo;
        if (sendTo.Count == 0)
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
        var recipients = sendTo.Select(r => EmailAddress.Parse(r)).ToList();
        return (mime, new Envelope(sender, recipients, esmtp));
    }

    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        if (_session is not null)
        {
            await _session.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task SendAsync(Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var (mime, envelope) = Prepare(message, _mailer.Options);
        string? transcript = null;
        if (_session is not null)
        {
            try
            {
                transcript = (await _session.SendAsync(mime, envelope, cancellationToken).ConfigureAwait(false)).Transcript;
            }
            catch (MailDeliveryException e)
            {
                LogFailed(_logger, message.MessageId, e.GetType().Name, e.Message);
                throw;
            }

            LogSent(_logger, message.MessageId, envelope.Recipients.Count);
        }

        SentCount++;
        _mailer.OnDispatched(new MessageDispatchedEventArgs(message, mime, _mailer.DeliveryMethod, transcript) { Queued = _mailer.IsQueued });
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Handed {MessageId} for {RecipientCount} recipient(s) to the transport")]
    private static partial void LogSent(ILogger logger, string messageId, int recipientCount);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sending {MessageId} failed ({Error}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string messageId, string error, string reason);
}
