namespace MailMvc.Mail.Outbox;

/// <summary>The outbox as the app sees it: the store's views, and a retry that wakes a worker at once.</summary>
internal sealed class MailOutbox : IMailOutbox
{
    private readonly OutboxRuntime _outbox;

    public MailOutbox(OutboxRuntime outbox) => _outbox = outbox;

    public bool IsEnabled => _outbox.Enabled;

    public string Description => _outbox.Description;

    public Task<OutboxCounts> GetCountsAsync(CancellationToken cancellationToken = default) =>
        _outbox.Store.GetCountsAsync(cancellationToken);

    public Task<OutboxBacklog> GetBacklogAsync(CancellationToken cancellationToken = default) =>
        _outbox.Store.GetBacklogAsync(cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListAsync(OutboxStatus? status, int limit, CancellationToken cancellationToken = default) =>
        _outbox.Store.ListAsync(status, limit, cancellationToken);

    public Task<OutboxEntry?> GetAsync(long id, CancellationToken cancellationToken = default) =>
        _outbox.Store.GetAsync(id, cancellationToken);

    public Task<IReadOnlyList<OutboxAttempt>> GetAttemptsAsync(long id, CancellationToken cancellationToken = default) =>
        _outbox.Store.GetAttemptsAsync(id, cancellationToken);

    public async Task<bool> RetryAsync(long id, CancellationToken cancellationToken = default)
    {
        var queued = await _outbox.Store.RetryAsync(id, cancellationToken).ConfigureAwait(false);
        if (queued)
        {
            _outbox.Wake();
        }

        return queued;
    }

    public Task<bool> CancelAsync(long id, CancellationToken cancellationToken = default) =>
        _outbox.Store.CancelAsync(id, cancellationToken);

    public Task<IReadOnlyList<OutboxEntry>> ListScheduledAsync(int limit, CancellationToken cancellationToken = default) =>
        _outbox.Store.ListScheduledAsync(limit, cancellationToken);
}
