using MailMvc.Mail.Suppression;

namespace MailMvc.Mail.Tests.Outbox;

/// <summary>A suppression list that counts its lookups and forwards everything to <paramref name="inner"/>.</summary>
internal sealed class CountingSuppressionList(ISuppressionList inner) : ISuppressionList
{
    private int _lookups;

    /// <summary>Calls of <see cref="FindAsync"/>.</summary>
    public int Lookups => Volatile.Read(ref _lookups);

    public Task<IReadOnlyList<SuppressedAddress>> FindAsync(IReadOnlyCollection<string> addresses, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _lookups);
        return inner.FindAsync(addresses, cancellationToken);
    }

    public Task<bool> AddAsync(SuppressedAddress entry, CancellationToken cancellationToken = default) => inner.AddAsync(entry, cancellationToken);

    public Task<bool> RemoveAsync(string address, CancellationToken cancellationToken = default) => inner.RemoveAsync(address, cancellationToken);

    public Task<IReadOnlyList<SuppressedAddress>> ListAsync(string? search, int limit, CancellationToken cancellationToken = default) =>
        inner.ListAsync(search, limit, cancellationToken);
}
