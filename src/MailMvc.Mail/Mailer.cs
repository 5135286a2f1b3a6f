using System.Runtime.CompilerServices;
using System.Threading.Channels;
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
    // How long a batch waits for more of the caller's messages: enough for a fast source to fill it, too short to matter to a slow one.
    private static readonly TimeSpan s_batchLinger = TimeSpan.FromMilliseconds(20);

    private readonly IMailTransport? _transport;
    private readonly bool _ownsTransport;
    private readonly IReadOnlyList<IMailInterceptor> _interceptors;
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
        if (_transport is IQueueingMailTransport)
        {
            // Storing is one writer's work (SQLite has one writer at a time): the queue's own workers deliver in parallel.
            connections = 1;
        }

        // Bounded both ways: the source is read only as fast as the sessions take it.
        var queue = Channel.CreateBounded<(Message Message, TState State)>(new BoundedChannelOptions(connections * 16) { SingleWriter = true });
        var results = Channel.CreateBounded<MessageSendResult<TState>>(new BoundedChannelOptions(connections * 16) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var fatal = new FatalError();

        var producer = Task.Run(() => FeedAsync(messages, queue.Writer, stop.Token), CancellationToken.None);
        var workers = Enumerable.Range(0, connections)
            .Select(_ => Task.Run(() => DrainAsync(queue.Reader, results.Writer, fatal, stop.Token), CancellationToken.None))
            .ToArray();
        var finished = Task.WhenAll(workers).ContinueWith(
            t => results.Writer.TryComplete(t.Exception?.GetBaseException()), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

        try
        {
            await foreach (var result in results.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return result;
            }
        }
        finally
        {
            // Stops the workers when the caller stops early; after a normal end it changes nothing.
            await stop.CancelAsync().ConfigureAwait(false);
            await finished.ConfigureAwait(false);
            await producer.ConfigureAwait(false);
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

    /// <summary>Runs the interceptors, then checks a message as Flask-Mail does before sending and builds it.</summary>
    /// <returns>The MIME message and its envelope, or why an interceptor stopped it.</returns>
    /// <exception cref="ArgumentException">No recipients, no sender, or an unsupported ESMTP option.</exception>
    /// <exception cref="BadHeaderException">A header value contains a line break.</exception>
    /// <exception cref="FormatException">An address is not valid.</exception>
    /// <exception cref="InvalidOperationException">Scheduled for later, but the transport sends at once.</exception>
    internal async ValueTask<PreparedMessage> PrepareAsync(Message message, EmailAddress? envelopeFrom, CancellationToken cancellationToken)
    {
        if (_interceptors.Count > 0)
        {
            var context = new MailSendingContext(message, Options);
            foreach (var interceptor in _interceptors)
            {
                await interceptor.OnSendingAsync(context, cancellationToken).ConfigureAwait(false);
                if (context.StopReason is { } reason)
                {
                    LogStopped(_logger, message.MessageId, interceptor.GetType().Name, reason);
                    return new PreparedMessage(null, null, reason);
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
        var envelope = new Envelope(envelopeFrom?.ToMailboxAddress() ?? mime.From.Mailboxes.First(), sendTo.Select(r => EmailAddress.Parse(r)).ToList())
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

    private static async Task FeedAsync<TState>(IAsyncEnumerable<(Message, TState)> messages, ChannelWriter<(Message, TState)> queue,
        CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in messages.WithCancellation(cancellationToken).ConfigureAwait(false))
            {
                await queue.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }

            queue.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            queue.TryComplete();
        }
        catch (Exception e)
        {
            // The caller's sequence failed: the workers stop and the caller sees its exception.
            queue.TryComplete(e);
        }
    }

    /// <summary>One session's share of <see cref="SendManyAsync{TState}"/>: a message at a time, or as many as are
    /// waiting (up to its batch size) when the session takes batches.</summary>
    private async Task DrainAsync<TState>(ChannelReader<(Message Message, TState State)> queue, ChannelWriter<MessageSendResult<TState>> results,
        FatalError fatal, CancellationToken cancellationToken)
    {
        await using var connection = new MailConnection(this, _transport, _logger);
        var batch = new List<(Message Message, TState State)>();
        try
        {
            while (await queue.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!connection.IsOpen && fatal.Error is null)
                {
                    // Opened before the first message is taken, so a session that takes batches gets a full first batch.
                    await TryOpenAsync(connection, fatal, cancellationToken).ConfigureAwait(false);
                }

                batch.Clear();
                var size = fatal.Error is null ? connection.BatchSize : 1;
                var sourceFailed = await FillAsync(queue, batch, size, cancellationToken).ConfigureAwait(false);
                if (batch.Count == 0)
                {
                    continue;
                }

                if (batch.Count == 1)
                {
                    var (message, state) = batch[0];
                    var (receipt, error) = await TrySendAsync(connection, message, fatal, cancellationToken).ConfigureAwait(false);
                    await results.WriteAsync(new MessageSendResult<TState>(message, state, receipt, error), cancellationToken).ConfigureAwait(false);
                    sourceFailed?.Throw();
                    continue;
                }

                var outcomes = await connection.SendBatchAsync(batch.Select(b => b.Message).ToList(), cancellationToken).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    if (outcomes[i].Error is MailDeliveryException { IsConnectionFailure: true } failure)
                    {
                        fatal.Set(failure);
                    }

                    await results.WriteAsync(new MessageSendResult<TState>(batch[i].Message, batch[i].State, outcomes[i].Receipt, outcomes[i].Error),
                        cancellationToken).ConfigureAwait(false);
                }

                sourceFailed?.Throw();
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller.
        }
    }

    /// <summary>Takes up to <paramref name="size"/> messages: what is waiting, and for a batch, what arrives within a short
    /// linger, so a slow source never holds messages it already handed over.</summary>
    /// <returns>The source's failure, to rethrow once the messages in hand are sent; null when it did not fail.</returns>
    private static async Task<System.Runtime.ExceptionServices.ExceptionDispatchInfo?> FillAsync<TState>(
        ChannelReader<(Message Message, TState State)> queue, List<(Message Message, TState State)> batch, int size, CancellationToken cancellationToken)
    {
        while (batch.Count < size && queue.TryRead(out var item))
        {
            batch.Add(item);
        }

        if (size == 1 || batch.Count is 0 || batch.Count >= size)
        {
            return null;
        }

        using var linger = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linger.CancelAfter(s_batchLinger);
        try
        {
            while (batch.Count < size && await queue.WaitToReadAsync(linger.Token).ConfigureAwait(false))
            {
                while (batch.Count < size && queue.TryRead(out var more))
                {
                    batch.Add(more);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The linger is over: send what is in hand.
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The caller's sequence failed: the messages in hand are still sent and reported first.
            return System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
        }

        return null;
    }

    private static async Task TryOpenAsync(MailConnection connection, FatalError fatal, CancellationToken cancellationToken)
    {
        try
        {
            await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (MailDeliveryException e) when (e.IsConnectionFailure)
        {
            // Every message of this run fails with it, as when the first send cannot connect.
            fatal.Set(e);
        }
        catch (MailDeliveryException)
        {
            // Not about the server as a whole: each message's own send tries again and reports it.
        }
    }

    private static async Task<(MailReceipt? Receipt, Exception? Error)> TrySendAsync(MailConnection connection, Message message, FatalError fatal,
        CancellationToken cancellationToken)
    {
        if (fatal.Error is { } error)
        {
            return (null, error);
        }

        try
        {
            return (await connection.SendAsync(message, cancellationToken).ConfigureAwait(false), null);
        }
        catch (MailDeliveryException e)
        {
            if (e.IsConnectionFailure)
            {
                fatal.Set(e);
            }

            return (null, e);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The message itself is wrong, or an interceptor failed on it: that message's result, not the run's end.
            return (null, e);
        }
    }

    /// <summary>The first connection-level failure of a <see cref="SendManyAsync{TState}"/> run, shared by its sessions.</summary>
    private sealed class FatalError
    {
        private MailDeliveryException? _error;

        public MailDeliveryException? Error => Volatile.Read(ref _error);

        public void Set(MailDeliveryException error) => Interlocked.CompareExchange(ref _error, error, null);
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
