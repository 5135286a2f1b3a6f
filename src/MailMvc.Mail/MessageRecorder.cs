namespace MailMvc.Mail;

/// <summary>Collects the messages an <see cref="IMailer"/> dispatches until it is disposed
/// (Flask-Mail's <c>record_messages()</c> outbox).</summary>
public sealed class MessageRecorder : IDisposable
{
    private readonly IMailer _mailer;
    private readonly List<Message> _messages = [];
    private readonly Lock _lock = new();

    internal MessageRecorder(IMailer mailer)
    {
        _mailer = mailer;
        _mailer.Dispatched += OnDispatched;
    }

    /// <summary>The messages dispatched so far, in order.</summary>
    public IReadOnlyList<Message> Messages
    {
        get
        {
            lock (_lock)
            {
                return _messages.ToList();
            }
        }
    }

    /// <summary>Stops recording.</summary>
    public void Dispose() => _mailer.Dispatched -= OnDispatched;

    private void OnDispatched(object? sender, MessageDispatchedEventArgs e)
    {
        lock (_lock)
        {
            _messages.Add(e.Message);
        }
    }
}
