using System.Diagnostics.Metrics;
using MailMvc.Mail.Transport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailMvc.Mail.Outbox;

/// <summary>What the outbox transport and the delivery workers of one process share: the store, the transport that
/// delivers, the metrics, and the workers' lanes: mail queued here is handed to them, or they are woken to claim it.</summary>
internal sealed partial class OutboxRuntime : IDisposable
{
    private const int InitialWriteBuffer = 16 * 1024;

    // The most MIME one worker's lane holds in memory (64 mails of 250 KB): a batch of large mails is queued in the store.
    private const long LaneBytes = 16 * 1024 * 1024;
    private const int MaxKeptWriteBuffer = 128 * 1024;

    [ThreadStatic]
    private static MemoryStream? s_writeBuffer;

    private readonly Lazy<IOutboxStore> _store;
    private readonly ILogger _logger;
    // Cleared when the store turns out not to store claimed mail (IOutboxStore's default).
    private bool _storesClaimed;

    public OutboxRuntime(IOptions<OutboxOptions> options, IOptions<MailOptions> mail, IServiceProvider services, TimeProvider time,
        IMeterFactory? meterFactory = null, ILogger<OutboxRuntime>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(mail);
        Options = options.Value;
        Mail = mail.Value;
        Enabled = Options.Enabled && Mail.SuppressSend != true;
        Time = time;
        Metrics = new OutboxMetrics(meterFactory);
        _logger = logger ?? NullLogger<OutboxRuntime>.Instance;
        _storesClaimed = Options.HandOver;
        // Created on first use, and never while the outbox is off: a store may need settings only the outbox uses.
        _store = new Lazy<IOutboxStore>(services.GetRequiredService<IOutboxStore>);
    }

    /// <summary>True when mail is queued (the outbox is on and sending is not suppressed).</summary>
    public bool Enabled { get; }

    public OutboxOptions Options { get; }

    public MailOptions Mail { get; }

    public TimeProvider Time { get; }

    public OutboxMetrics Metrics { get; }

    /// <summary>This process's delivery workers, each with the lane where mail stored here waits for it.</summary>
    public OutboxLanes Lanes { get; } = new(2 * OutboxTransport.BatchSize, LaneBytes);

    /// <summary>The transport the outbox wraps, which delivers what it stores; null until the mail pipeline is built.</summary>
    public IMailTransport? DeliveryTransport { get; private set; }

    public IOutboxStore Store => Enabled ? _store.Value : throw new InvalidOperationException(
        "The outbox is off: set Mail:Outbox:Enabled to true to queue mail.");

    public string Description => Options.Provider switch
    {
        OutboxProvider.PostgreSql => "PostgreSQL",
        OutboxProvider.Sqlite => $"SQLite {new SqliteConnectionStringBuilder(Options.ConnectionString).DataSource}",
        _ => _store.Value.GetType().Name,
    };

    /// <summary>The mailer's transport: the outbox around <paramref name="inner"/> while it is on, else <paramref name="inner"/>.</summary>
    public IMailTransport Wrap(IMailTransport inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        if (DeliveryTransport is not null)
        {
            throw new InvalidOperationException("AddOutbox() was called twice: the outbox would queue into itself. Call it once, last.");
        }

        DeliveryTransport = inner;
        return Enabled ? new OutboxTransport(this, inner) : inner;
    }

    /// <summary>The mail as the outbox stores it: the bytes as they go on the wire, and the envelope.</summary>
    public static OutboxItem ToItem(MimeMessage message, Envelope envelope)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(envelope);
        var mime = Write(message);
        var parameters = envelope.MailParameters.Select(p => "MAIL " + p).Concat(envelope.RecipientParameters.Select(p => "RCPT " + p)).ToList();
        return new OutboxItem(0, message.MessageId ?? "", message.Subject, envelope.Sender.Address,
            string.Join('\n', envelope.Recipients.Select(r => r.Address)), parameters.Count == 0 ? null : string.Join('\n', parameters),
            mime, 0, default)
        {
            NotBefore = envelope.NotBefore,
            TraceParent = OutboxTelemetry.CurrentTraceParent(),
            SendAsStored = StoredMessage.CanBeSentAsStored(message, mime),
        };
    }

    /// <summary>The message's bytes as they go on the wire. Written into a buffer the thread keeps for the next mail: a
    /// new stream would grow by doubling to the mail's size, allocating about twice the mail again before the copy
    /// that is stored.</summary>
    private static byte[] Write(MimeMessage message)
    {
        var buffer = s_writeBuffer ?? new MemoryStream(InitialWriteBuffer);
        s_writeBuffer = null;
        buffer.SetLength(0);
        message.WriteTo(WireFormat.Options, buffer);
        var mime = buffer.ToArray();
        if (buffer.Capacity <= MaxKeptWriteBuffer)
        {
            // Kept only once the write succeeded; a mail with large attachments does not stay in memory after it.
            s_writeBuffer = buffer;
        }

        return mime;
    }

    /// <summary>The MIME message and envelope back from the stored mail.</summary>
    /// <param name="item">The stored mail.</param>
    /// <param name="asStored">True when the transport that delivers it only writes it (see
    /// <see cref="StoredMessage.IsSentAsStoredBy"/>): the message then sends the stored bytes as they are when
    /// nothing in it would be re-encoded.</param>
    /// <exception cref="FormatException">The stored mail cannot be read.</exception>
    public static (MimeMessage Message, Envelope Envelope) FromItem(OutboxItem item, bool asStored = false)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            var message = StoredMessage.Load(item.Mime, asStored, item.SendAsStored);
            var recipients = item.Recipients.Split('\n').Select(r => new MailboxAddress((string?)null, r)).ToList();
            var parameters = (item.Esmtp ?? "").Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return (message, new Envelope(new MailboxAddress((string?)null, item.Sender), recipients)
            {
                MailParameters = parameters.Where(l => l.StartsWith("MAIL ", StringComparison.Ordinal)).Select(l => l[5..]).ToList(),
                RecipientParameters = parameters.Where(l => l.StartsWith("RCPT ", StringComparison.Ordinal)).Select(l => l[5..]).ToList(),
            });
        }
        catch (ParseException e)
        {
            throw new FormatException($"The stored mail {item.MessageId} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Stores mails in one transaction and counts them. While a delivery worker of this process has room, they are
    /// stored already claimed in its name and handed to it; otherwise they are queued and every idle worker is woken.</summary>
    /// <exception cref="MailDeliveryException">The outbox database could not store them (transient; nothing was stored).</exception>
    public async Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        var now = Time.GetUtcNow();
        // Scheduled mail waits in the store for its time.
        var bytes = items.Sum(i => (long)i.Mime.Length);
        var lane = _storesClaimed && items.All(i => !(i.NotBefore > now)) ? Lanes.Reserve(items.Count, bytes) : null;
        var claimedAt = Time.GetTimestamp();
        IReadOnlyList<long>? ids = null;
        var handOver = false;
        try
        {
            if (lane is not null)
            {
                ids = await Store.EnqueueClaimedAsync(items, lane.Worker, Options.ClaimDuration, cancellationToken).ConfigureAwait(false);
                handOver = ids is not null;
                // A store that does not store claimed mail says so every time: ask it once.
                _storesClaimed &= handOver;
            }

            ids ??= await Store.EnqueueManyAsync(items, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is System.Data.Common.DbException or OutboxSchemaException)
        {
            // Like an unreachable server: every other mail would fail the same way for now.
            throw new MailDeliveryException($"The outbox ({Description}) could not store the mail: {e.Message}", null, isTransient: true, e,
                isConnectionFailure: true);
        }
        finally
        {
            if (lane is not null && !handOver)
            {
                Lanes.Unreserve(lane, items.Count, bytes);
            }
        }

        Metrics.Enqueued(items.Count);
        if (!handOver)
        {
            Lanes.WakeAll();
        }
        else
        {
            var handed = items.Select((item, i) => item with { Id = ids[i], Attempts = 1, CreatedAt = now }).ToList();
            if (!Lanes.HandOver(lane!, handed, claimedAt))
            {
                // The worker stopped or is waiting out an error meanwhile: the room reserved goes back, and the mails
                // are queued again at once rather than when their claim expires or the worker tries again.
                Lanes.Unreserve(lane!, items.Count, bytes);
                if (await GiveBackAsync(lane!, handed).ConfigureAwait(false) is { } failure)
                {
                    // Whatever the store threw, the mails are stored: the sender hears "queued" (told otherwise, it would
                    // queue them again, and they would go twice). Claimed, they are taken over once the claim expires.
                    LogGiveBackFailed(_logger, ids.Count, lane!.Worker, failure);
                }
            }
        }

        return ids;
    }

    /// <summary>Gives mails claimed in a worker's name that it has not attempted back to the store, for the other
    /// workers, and wakes them. When the store cannot take them back and the worker still runs (it is waiting out an
    /// error), they wait in its lane as if handed to it, with a claim a whole <see cref="OutboxOptions.ClaimDuration"/>
    /// old: the give-back may have reached the store before it failed, so the worker renews the claim before it sends
    /// them and skips any another worker has taken since.</summary>
    /// <returns>Null when they were given back or kept in the lane; otherwise what the store threw (the worker stopped:
    /// they are taken over once the claim expires).</returns>
    internal async Task<Exception?> GiveBackAsync(OutboxLane lane, IReadOnlyList<OutboxItem> items)
    {
        try
        {
            await Store.ReleaseAsync([.. items.Select(item => item.Id)], lane.Worker, CancellationToken.None).ConfigureAwait(false);
            Lanes.WakeAll();
            return null;
        }
        catch (Exception e)
        {
            var expiredClaim = Time.GetTimestamp() - (long)(Options.ClaimDuration.TotalSeconds * Time.TimestampFrequency);
            if (!Lanes.PutBack(lane, items, expiredClaim))
            {
                return e;
            }

            LogKeptForWorker(_logger, items.Count, lane.Worker, e);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: {Count} mail(s) claimed for {Worker}, which is waiting out an error, could not be given back to the other workers; it sends them when it tries again")]
    private static partial void LogKeptForWorker(ILogger logger, int count, string worker, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox: {Count} mail(s) stored for {Worker}, which stopped meanwhile, could not be queued again at once; they are sent once its claim expires")]
    private static partial void LogGiveBackFailed(ILogger logger, int count, string worker, Exception exception);

    /// <summary>Tells every delivery worker of this process to claim from the store, waking the idle ones.</summary>
    public void Wake() => Lanes.WakeAll();

    public void Dispose() => Metrics.Dispose();
}
