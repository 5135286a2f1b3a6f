using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MailMvc.Mail.Outbox;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace MailMvc.Mail;

/// <summary>The <see cref="IMailer"/> on MailKit: SMTP, a pickup directory, or suppressed, as configured.</summary>
public sealed partial class Mailer : IMailer
{
    private readonly IMailTransport? _transport;
    private readonly ILogger<Mailer> _logger;

    /// <summary>Creates a mailer from options bound by <see cref="MailServiceCollectionExtensions.AddMail"/>.</summary>
    public Mailer(IOptions<MailOptions> options, ILoggerFactory? loggerFactory = null)
        : this(options?.Value ?? throw new ArgumentNullException(nameof(options)), loggerFactory)
    {
    }

    /// <summary>Creates a mailer from options set in code. The outbox (<see cref="OutboxOptions.Enabled"/>) needs its
    /// background worker, which <see cref="MailServiceCollectionExtensions.AddMail"/> registers in a host.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    /// <exception cref="InvalidOperationException">The outbox is on; use <c>AddMail</c> in a host.</exception>
    public Mailer(MailOptions options, ILoggerFactory? loggerFactory = null)
        : this(options, loggerFactory, outbox: null)
    {
    }

    internal Mailer(MailOptions options, ILoggerFactory? loggerFactory, OutboxRuntime? outbox)
    {
        ArgumentNullException.ThrowIfNull(options);
        loggerFactory ??= NullLoggerFactory.Instance;
        Options = options;
        _logger = loggerFactory.CreateLogger<Mailer>();
        DeliveryMethod = options.SuppressSend == true ? MailDeliveryMethod.Suppressed : options.DeliveryMethod ?? MailDeliveryMethod.Smtp;
        var delivery = MailTransports.Create(DeliveryMethod, options, loggerFactory);
        if (outbox is { Enabled: true })
        {
            IsQueued = true;
            _transport = new OutboxTransport(outbox, delivery?.Description ?? DeliveryMethod.ToString());
        }
        else if (options.Outbox.Enabled && DeliveryMethod != MailDeliveryMethod.Suppressed)
        {
            throw new InvalidOperationException(
                "Mail:Outbox:Enabled needs the background delivery worker: register the mailer with services.AddMail(...) in a host.");
        }
        else
        {
            _transport = delivery;
        }
    }

    /// <inheritdoc />
    public event EventHandler<MessageDispatchedEventArgs>? Dispatched;

    /// <inheritdoc />
    public MailOptions Options { get; }

    /// <inheritdoc />
    public MailDeliveryMethod DeliveryMethod { get; }

    /// <inheritdoc />
    public bool IsQueued { get; }

    /// <inheritdoc />
    public string TransportDescription => _transport?.Description ?? "nowhere (SuppressSend is on)";

    /// <inheritdoc />
    public async Task SendAsync(Message message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        // The connection opens on the first send, after the message is checked: bad input never costs a connection.
        await using var connection = new MailConnection(this, _transport, _logger);
        await connection.SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IMailConnection> ConnectAsync(CancellationToken cancellationToken = default)
    {
        var connection = new MailConnection(this, _transport, _logger);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        return connection;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<MessageSendResult> SendManyAsync(IAsyncEnumerable<Message> messages, int connections = 1,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentOutOfRangeException.ThrowIfLessThan(connections, 1);
        if (IsQueued)
        {
            // The outbox's workers deliver: here the messages are only stored, many to a transaction.
            await foreach (var result in EnqueueManyAsync(messages, cancellationToken).ConfigureAwait(false))
            {
                yield return result;
            }

            yield break;
        }

        // Bounded both ways: the source is read only as fast as the connections send.
        var queue = Channel.CreateBounded<Message>(new BoundedChannelOptions(connections * 16) { SingleWriter = true });
        var results = Channel.CreateBounded<MessageSendResult>(new BoundedChannelOptions(connections * 16) { SingleReader = true });
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

    /// <summary>Queued mode of <see cref="SendManyAsync"/>: stores the messages in batches, one transaction each.</summary>
    private async IAsyncEnumerable<MessageSendResult> EnqueueManyAsync(IAsyncEnumerable<Message> messages,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const int BatchSize = 100;
        var batch = new List<(Message Message, MimeKit.MimeMessage? Mime, OutboxItem? Item, Exception? Error)>(BatchSize);
        var store = new FatalError();
        await foreach (var message in messages.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            try
            {
                var (mime, envelope) = MailConnection.Prepare(message, Options);
                batch.Add((message, mime, OutboxRuntime.ToItem(mime, envelope), null));
            }
            catch (Exception e) when (e is ArgumentException or FormatException or BadHeaderException)
            {
                batch.Add((message, null, null, e));
            }

            if (batch.Count == BatchSize)
            {
                foreach (var result in await FlushAsync(batch, store, cancellationToken).ConfigureAwait(false))
                {
                    yield return result;
                }
            }
        }

        foreach (var result in await FlushAsync(batch, store, cancellationToken).ConfigureAwait(false))
        {
            yield return result;
        }
    }

    /// <summary>Stores one batch in one transaction and reports each message; once storing has failed, later batches
    /// fail without trying the database again (<paramref name="store"/>).</summary>
    private async Task<IReadOnlyList<MessageSendResult>> FlushAsync(
        List<(Message Message, MimeKit.MimeMessage? Mime, OutboxItem? Item, Exception? Error)> batch, FatalError store,
        CancellationToken cancellationToken)
    {
        var outbox = ((OutboxTransport)_transport!).Outbox;
        var items = batch.Where(b => b.Item is not null).Select(b => b.Item!).ToList();
        var storeError = store.Error;
        if (items.Count > 0 && storeError is null)
        {
            try
            {
                await outbox.EnqueueAsync(items, cancellationToken).ConfigureAwait(false);
            }
            catch (MailDeliveryException e)
            {
                // Nothing of this batch was stored: each of its messages reports the failure.
                store.Set(e);
                storeError = e;
            }
        }

        var results = new List<MessageSendResult>(batch.Count);
        foreach (var (message, mime, _, prepareError) in batch)
        {
            var error = prepareError ?? storeError;
            if (error is null)
            {
                OnDispatched(new MessageDispatchedEventArgs(message, mime!, DeliveryMethod, null) { Queued = true });
            }

            results.Add(new MessageSendResult(message, error));
        }

        batch.Clear();
        return results;
    }

    private static async Task FeedAsync(IAsyncEnumerable<Message> messages, ChannelWriter<Message> queue, CancellationToken cancellationToken)
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

    private async Task DrainAsync(ChannelReader<Message> queue, ChannelWriter<MessageSendResult> results, FatalError fatal, CancellationToken cancellationToken)
    {
        await using var connection = new MailConnection(this, _transport, _logger);
        try
        {
            await foreach (var message in queue.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                var error = await TrySendAsync(connection, message, fatal, cancellationToken).ConfigureAwait(false);
                await results.WriteAsync(new MessageSendResult(message, error), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by the caller.
        }
    }

    /// <returns>Null when sent, else why not.</returns>
    private static async Task<Exception?> TrySendAsync(MailConnection connection, Message message, FatalError fatal, CancellationToken cancellationToken)
    {
        if (fatal.Error is { } error)
        {
            return error;
        }

        try
        {
            await connection.SendAsync(message, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (MailDeliveryException e)
        {
            if (e.IsConnectionFailure)
            {
                fatal.Set(e);
            }

            return e;
        }
        catch (Exception e) when (e is ArgumentException or FormatException or BadHeaderException)
        {
            return e;
        }
    }

    /// <summary>The first connection-level failure of a <see cref="SendManyAsync"/> run, shared by its workers (or, queued,
    /// the first failure to store).</summary>
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
}
