using System.Runtime.CompilerServices;
using MailMvc.Mail.Interception;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailMvc.Mail;

/// <summary>
/// The <see cref="IMailer"/>: runs the interceptors, checks and builds each message, and hands it to one
/// <see cref="IMailTransport"/> (SMTP, a pickup directory, the outbox, or a transport of your own), or to none when
/// <see cref="MailOptions.SuppressSend"/> is on.
/// </summary>
public sealed partial class Mailer : IMailer, IAsyncDisposable, IDisposable
{
    private readonly IMailTransport? _transport;
    private readonly bool _ownsTransport;
    private readonly IReadOnlyList<IMailInterceptor> _interceptors;
    private readonly Suppression.SuppressionListInterceptor[] _lookingAhead;
    private readonly ILogger<Mailer> _logger;

    /// <summary>Creates a mailer from options bound by <see cref="MailServiceCollectionExtensions.AddMail"/>, with the
    /// transport they name (SMTP or the pickup directory).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public Mailer(IOptions<MailOptions> options, ILoggerFactory? loggerFactory = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), loggerFactory)
    {
    }

    /// <summary>Creates a mailer from options set in code, with the transport they name (SMTP or the pickup directory).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public Mailer(MailOptions options, ILoggerFactory? loggerFactory = null)
        : this(options, DefaultTransport(options, loggerFactory), interceptors: null, loggerFactory)
    {
        _ownsTransport = true;
    }

    /// <summary>Creates a mailer that sends through <paramref name="transport"/>.</summary>
    /// <param name="options">The settings: default sender, MaxEmails, SuppressSend, RedirectTo…</param>
    /// <param name="transport">Where mail goes; null only when <see cref="MailOptions.SuppressSend"/> is on.</param>
    /// <param name="interceptors">Run in order on every message before it is sent (after the built-in
    /// <see cref="RedirectToInterceptor"/> when <see cref="MailOptions.RedirectTo"/> is set).</param>
    /// <param name="loggerFactory">For the mailer's log lines.</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null, or <paramref name="transport"/> is
    /// null while sending is not suppressed.</exception>
    public Mailer(MailOptions options, IMailTransport? transport, IEnumerable<IMailInterceptor>? interceptors = null,
        ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<Mailer>();
        _transport = options.SuppressSend == true ? null
            : transport ?? throw new ArgumentNullException(nameof(transport), "A mailer needs a transport unless SuppressSend is on.");
        IEnumerable<IMailInterceptor> builtIn = string.IsNullOrWhiteSpace(options.RedirectTo) ? [] : [new RedirectToInterceptor()];
        _interceptors = builtIn.Concat(interceptors ?? []).ToList();
        _lookingAhead = [.. _interceptors.OfType<Suppression.SuppressionListInterceptor>()];
    }

    /// <inheritdoc />
    public event EventHandler<MessageDispatchedEventArgs>? Dispatched;

    /// <inheritdoc />
    public MailOptions Options { get; }

    /// <inheritdoc />
    public string TransportDescription => _transport?.Description ?? "nowhere (SuppressSend is on)";

    /// <inheritdoc />
    public async Task<MailReceipt> SendAsync(Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        // The session opens on the first send, after the message is checked: bad input never costs a connection.
        await using var connection = new MailConnection(this, _transport, _logger);
        return await connection.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var connection = new MailConnection(this, _transport, _logger);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<MessageSendResult<TState>> SendManyAsync<TState>(IAsyncEnumerable<(Message Message, TState State)> messages,
        int connections = 1, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        if (_transport is IQueueingMailTransport queueing)
        {
            // The queue's own workers deliver in parallel: storing takes the sessions its store can use at once.
            connections = Math.Min(connections, Math.Max(1, queueing.StoringSessions));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = new SendManyRun<TState>(this, _transport, _logger, messages, connections, stop.Token);
        run.Start();
        try
        {
            await foreach (var group in run.Results.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                foreach (var result in group)
                {
                    yield return result;
                }
            }
        }
        finally
        {
            // Stops the send threads when the caller stops early; after a normal end it changes nothing.
            await stop.CancelAsync().ConfigureAwait(false);
            await run.DisposeAsync().ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <inheritdoc />
    public MessageRecorder RecordMessages() => new(this);

    /// <summary>Drops what the mailer opened itself, without QUIT; prefer <see cref="DisposeAsync"/>.</summary>
    public void Dispose()
    {
        if (_ownsTransport && _transport is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    /// <summary>Closes what the mailer opened itself: the pooled connections of the transport it created from options.
    /// A transport handed to the constructor belongs to whoever made it.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_ownsTransport && _transport is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Lets the interceptors that can look ahead (the suppression list's) check a bulk send's next
    /// <paramref name="messages"/> at once, before each is prepared (<see cref="PrepareAsync"/>, which hands each
    /// message's check what they found).</summary>
    /// <returns>What each interceptor found; null when none found anything to use.</returns>
    internal async Task<IReadOnlyDictionary<Suppression.SuppressionListInterceptor, Suppression.SuppressionLookup>?> LookAheadAsync(
        IReadOnlyList<Message> messages, CancellationToken cancellationToken)
    {
        Dictionary<Suppression.SuppressionListInterceptor, Suppression.SuppressionLookup>? found = null;
        foreach (var interceptor in _lookingAhead)
        {
            if (await interceptor.LookAheadAsync(messages, cancellationToken).ConfigureAwait(false) is { } lookup)
            {
                // The same interceptor listed twice finds the same.
                (found ??= [])[interceptor] = lookup;
            }
        }

        return found;
    }

    /// <summary>True when an interceptor can look ahead (<see cref="LookAheadAsync"/>).</summary>
    internal bool LooksAhead => _lookingAhead.Length > 0;

    /// <summary>Runs the interceptors, then checks a message as Flask-Mail does before sending and builds it.</summary>
    /// <param name="message">The message.</param>
    /// <param name="envelopeFrom">The envelope sender, when not the message's.</param>
    /// <param name="lookedAhead">What a look-ahead over the bulk send's next messages, this one among them, found
    /// (<see cref="LookAheadAsync"/>); null when nothing was looked ahead for it (a message sent on its own, a batch of
    /// one, no suppression list, a lookup that failed).</param>
    /// <param name="cancellationToken">Stops the interceptors.</param>
    /// <returns>The MIME message and its envelope, or why an interceptor stopped it.</returns>
    /// <exception cref="ArgumentException">No recipients, no sender, or an unsupported ESMTP option.</exception>
    /// <exception cref="BadHeaderException">A header value contains a line break.</exception>
    /// <exception cref="FormatException">An address is not valid.</exception>
    /// <exception cref="InvalidOperationException">Scheduled for later, but the transport sends at once.</exception>
    internal async ValueTask<PreparedMessage> PrepareAsync(Message message, EmailAddress? envelopeFrom,
        IReadOnlyDictionary<Suppression.SuppressionListInterceptor, Suppression.SuppressionLookup>? lookedAhead, CancellationToken cancellationToken)
    {
        if (_interceptors.Count > 0)
        {
            var context = new MailSendingContext(message, Options) { LookedAhead = lookedAhead };
            foreach (var interceptor in _interceptors)
            {
                await interceptor.OnSendingAsync(context, cancellationToken).ConfigureAwait(false);
                if (context.StopReason is { } reason)
                {
                    LogStopped(_logger, message.MessageId, interceptor.GetType().Name, reason);
                    return new PreparedMessage(null, null, reason, context.IsSuppressed);
                }
            }
        }

        var (mime, envelope) = Build(message, envelopeFrom);
        return new PreparedMessage(mime, envelope, null);
    }

    private (MimeMessage Mime, Envelope Envelope) Build(Message message, EmailAddress? envelopeFrom)
    {
        var sendTo = message.SendTo;
        if (sendTo.Count == 0)
        {
            throw new ArgumentException("The message has no recipients; add at least one To, Cc or Bcc address.", nameof(message));
        }

        if (!message.HasSender && string.IsNullOrWhiteSpace(Options.DefaultSender))
        {
            throw new ArgumentException("The message has no sender; set Message.Sender or Mail:DefaultSender.", nameof(message));
        }

        if ((message.FindBadHeader() ?? (envelopeFrom is { HasNewline: true } ? "the envelope sender" : null)) is { } field)
        {
            throw new BadHeaderException($"A line break in {field} could inject mail headers; nothing was sent.");
        }

        // Checked here, before any connection: the transport reads them again from the envelope.
        EsmtpOptions.Parse(message.MailOptions, message.RcptOptions);
        var now = DateTimeOffset.Now;
        var notBefore = message.NotBefore > now ? message.NotBefore : null;
        if (notBefore is { } at && _transport is not (null or IQueueingMailTransport))
        {
            throw new InvalidOperationException(
                $"This message is scheduled for {at.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC, but mail goes straight to {_transport.Description}, " +
                "which cannot keep it until then. Turn the outbox on (AddOutbox() in Program.cs and Mail:Outbox:Enabled=true) to send mail later, " +
                "or leave Message.NotBefore unset to send it now.");
        }

        message.Date ??= notBefore ?? now;
        if (message.ExtraHeaders.TryGetValue("Message-ID", out var messageId) && messageId.Trim().Trim('<', '>') is { Length: > 0 } id)
        {
            // An explicit Message-ID replaces the generated one (Flask-Mail would send both), and logs and events show it.
            message.MessageId = id;
        }

        // As Flask-Mail does, the recorded message shows who it was sent from.
        if (!message.HasSender && Options.DefaultSender is { } defaultSender)
        {
            message.Sender = defaultSender;
        }

        var mime = message.ToMimeMessage(Options);

        // The sender the From header was written from (the default filled in above), not read back from that header:
        // a From header kept encoded for bulk sends would be parsed again for every mail.
        var envelope = new Envelope(envelopeFrom?.ToMailboxAddress() ?? message.Sender!.ToMailboxAddress(message.GetEncoding()),
            sendTo.Select(r => EmailAddress.Parse(r)).ToList())
        {
            MailParameters = message.MailOptions.ToList(),
            RecipientParameters = message.RcptOptions.ToList(),
            NotBefore = notBefore,
        };
        return (mime, envelope);
    }

    private static IMailTransport? DefaultTransport(MailOptions options, ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.SuppressSend == true ? null
            : Dkim.DkimSigningTransport.WrapIfConfigured(MailTransports.CreateDefault(options, loggerFactory ?? NullLoggerFactory.Instance), options);
    }

    internal void OnDispatched(MessageDispatchedEventArgs e)
    {
        if (Dispatched is not { } handlers)
        {
            return;
        }

        // The mail is gone: a failing handler must not make the caller think otherwise (and send it again).
        foreach (var handler in handlers.GetInvocationList().Cast<EventHandler<MessageDispatchedEventArgs>>())
        {
            try
            {
                handler(this, e);
            }
            catch (Exception exception)
            {
                LogHandlerFailed(_logger, e.Message.MessageId, exception);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A Dispatched handler failed for {MessageId}; the mail itself was sent")]
    private static partial void LogHandlerFailed(ILogger logger, string messageId, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "{MessageId} was stopped by {Interceptor}: {Reason}")]
    private static partial void LogStopped(ILogger logger, string messageId, string interceptor, string reason);
}
