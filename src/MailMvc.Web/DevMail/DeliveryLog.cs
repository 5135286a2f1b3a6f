using MailMvc.Mail;

namespace MailMvc.Web.DevMail;

/// <summary>Keeps the last mails this process delivered (Development only), for the preview page.</summary>
public sealed class DeliveryLog : IDisposable
{
    private const int Capacity = 50;

    private readonly IMailer _mailer;
    private readonly LinkedList<DeliveryRecord> _records = new();
    private readonly Lock _lock = new();

    public DeliveryLog(IMailer mailer)
    {
        _mailer = mailer;
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

    public void Dispose() => _mailer.Dispatched -= OnDispatched;

    private void OnDispatched(object? sender, MessageDispatchedEventArgs e)
    {
        var record = new DeliveryRecord(Guid.NewGuid(), DateTimeOffset.Now, e.Message.MessageId, e.Message.Subject ?? "",
            string.Join(", ", e.Receipt.Recipients), e.Receipt.Disposition.ToString(), e.Transcript);
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
