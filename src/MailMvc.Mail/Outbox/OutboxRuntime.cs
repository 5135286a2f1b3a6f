using System.Diagnostics.Metrics;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Options;
using MimeKit;

namespace MailMvc.Mail.Outbox;

/// <summary>What the mailer and the delivery workers of one process share: the store, the metrics, and the
/// signal that wakes an idle worker when a mail is queued here.</summary>
internal sealed class OutboxRuntime : IDisposable, IAsyncDisposable
{

    private readonly Lazy<IOutboxStore> _store;
    private readonly SemaphoreSlim _wake = new(0);

    public OutboxRuntime(IOptions<MailOptions> options, TimeProvider time, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var mail = options.Value;
        Options = mail.Outbox;
        Enabled = Options.Enabled && mail.SuppressSend != true;
        Time = time;
        Metrics = new OutboxMetrics(meterFactory);
        _store = new Lazy<IOutboxStore>(() => Options.Provider switch
        {
            OutboxProvider.PostgreSql => new PostgresOutboxStore(Options.ConnectionString!, time),
            _ => new SqliteOutboxStore(Options.ConnectionString!, time),
        });
    }

    /// <summary>True when mail is queued (the outbox is on and sending is not suppressed).</summary>
    public bool Enabled { get; }

    public OutboxOptions Options { get; }

    public TimeProvider Time { get; }

    public OutboxMetrics Metrics { get; }

    public IOutboxStore Store => Enabled ? _store.Value : throw new InvalidOperationException(
        "The outbox is off: set Mail:Outbox:Enabled to true to queue mail.");

    public string Description => Options.Provider == OutboxProvider.PostgreSql
        ? "PostgreSQL"
        : $"SQLite {new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(Options.ConnectionString).DataSource}";

    /// <summary>The mail as the outbox stores it: the bytes as they go on the wire, and the envelope.</summary>
    public static OutboxItem ToItem(MimeMessage message, Envelope envelope)
    {
        using var bytes = new MemoryStream();
        message.WriteTo(WireFormat.Options, bytes);
        return new OutboxItem(0, message.MessageId ?? "", message.Subject, envelope.Sender.Address,
            string.Join('\n', envelope.Recipients.Select(r => r.Address)), envelope.Options.ToStorage(), bytes.ToArray(), 0, default);
    }

    /// <summary>The MIME message and envelope back from the stored mail.</summary>
    /// <exception cref="FormatException">The stored mail cannot be read.</exception>
    public static (MimeMessage Message, Envelope Envelope) FromItem(OutboxItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        try
        {
            var message = MimeMessage.Load(new MemoryStream(item.Mime, writable: false));
            var recipients = item.Recipients.Split('\n').Select(r => new MailboxAddress((string?)null, r)).ToList();
            return (message, new Envelope(new MailboxAddress((string?)null, item.Sender), recipients, EsmtpOptions.FromStorage(item.Esmtp)));
        }
        catch (ParseException e)
        {
            throw new FormatException($"The stored mail {item.MessageId} cannot be read: {e.Message}", e);
        }
    }

    /// <summary>Stores mails in one transaction, counts them and wakes an idle worker.</summary>
    /// <exception cref="MailDeliveryException">The outbox database could not store them (transient; nothing was stored).</exception>
    public async Task<IReadOnlyList<long>> EnqueueAsync(IReadOnlyList<OutboxItem> items, CancellationToken cancellationToken)
    {
        IReadOnlyList<long> ids;
        try
        {
            ids = await Store.EnqueueManyAsync(items, cancellationToken).ConfigureAwait(false);
        }
        catch (System.Data.Common.DbException e)
        {
            // Like an unreachable server: every other mail would fail the same way for now.
            throw new MailDeliveryException($"The outbox ({Description}) could not store the mail: {e.Message}", null, isTransient: true, e,
                isConnectionFailure: true);
        }

        Metrics.Enqueued(items.Count);
        Wake();
        return ids;
    }

    /// <summary>Wakes one idle worker, if none is already about to wake.</summary>
    public void Wake()
    {
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    /// <summary>Waits until a mail is queued here, or the poll interval passes.</summary>
    public async Task WaitAsync(CancellationToken cancellationToken) =>
        await _wake.WaitAsync(Options.PollInterval, cancellationToken).ConfigureAwait(false);

    public void Dispose()
    {
        Metrics.Dispose();
        if (_store.IsValueCreated && _store.Value is IDisposable disposable)
        {
            disposable.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        Metrics.Dispose();
        if (_store.IsValueCreated && _store.Value is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync().ConfigureAwait(false);
        }
    }
}
