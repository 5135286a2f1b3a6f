using MailMvc.Mail;
using MailMvc.Web.Infrastructure;

namespace MailMvc.Web.DevMail;

/// <summary>Keeps the last mails this process delivered (Development only), for the preview page.</summary>
public sealed class DeliveryLog : IDisposable
{
    private const int Capacity = 50;

    private readonly IMailer _mailer;
    private readonly string _contentRoot;
    private readonly LinkedList<DeliveryRecord> _records = new();
    private readonly Lock _lock = new();

    private readonly DeliverabilityChecks _checks;

    public DeliveryLog(IMailer mailer, IHostEnvironment environment, DeliverabilityChecks checks)
    {
        ArgumentNullException.ThrowIfNull(environment);
        _mailer = mailer;
        _checks = checks;
        _contentRoot = environment.ContentRootPath;
        _mailer.Dispatched += OnDispatched;
    }

    /// <summary>The most recent deliveries, newest first.</summary>
    public IReadOnlyList<DeliveryRecord> Recent
    {
        get
        {
            lock (_lock)
            {
                return _records.ToList();
            }
        }
    }

    public DeliveryRecord? Find(Guid id)
    {
        lock (_lock)
        {
            return _records.FirstOrDefault(r => r.Id == id);
        }
    }

    /// <summary>The most recent delivery of the mail with <paramref name="messageId"/>, if it is still kept.</summary>
    public DeliveryRecord? FindByMessageId(string messageId)
    {
        lock (_lock)
        {
            return _records.FirstOrDefault(r => r.MessageId == messageId);
        }
    }

    public void Dispose() => _mailer.Dispatched -= OnDispatched;

    private void OnDispatched(object? sender, MessageDispatchedEventArgs e)
    {
        var record = new DeliveryRecord(Guid.NewGuid(), DateTimeOffset.Now, e.Message.MessageId, e.Message.Subject ?? "",
            string.Join(", ", e.Receipt.Recipients), TransportText.Via(e.Receipt, _contentRoot), e.Transcript,
            TransportText.WrittenFile(e.Receipt, _contentRoot), e.MimeMessage.HtmlBody, e.MimeMessage.TextBody,
            _checks.For(e.MimeMessage, queued: e.Receipt.Disposition == MailDisposition.Queued).Dkim);
        lock (_lock)
        {
            _records.AddFirst(record);
            if (_records.Count > Capacity)
            {
                _records.RemoveLast();
            }
        }
    }
}
