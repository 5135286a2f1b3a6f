namespace MailMvc.Mail.Suppression;

/// <summary>
/// The addresses no mail may go to: people who unsubscribed, addresses a server said do not exist, and those an
/// administrator added. With one registered (<see cref="MailBuilder.UseSuppressionList{TList}()"/>, or
/// <c>AddSuppressionList()</c> from <c>MailMvc.Mail.Outbox</c>), the mailer checks every message against it before it
/// is sent or queued, and the outbox checks again at every delivery attempt. Addresses compare case-insensitively.
/// Implementations must be safe for concurrent use.
/// </summary>
public interface ISuppressionList
{
    /// <summary>Looks up several addresses at once.</summary>
    /// <param name="addresses">Bare addresses (<c>ada@example.com</c>), in any case.</param>
    /// <param name="cancellationToken">Cancels the lookup.</param>
    /// <returns>The entries of those that are suppressed; empty when none is.</returns>
    Task<IReadOnlyList<SuppressedAddress>> FindAsync(IReadOnlyCollection<string> addresses, CancellationToken cancellationToken = default);

    /// <summary>Suppresses an address. An address already on the list keeps its first entry.</summary>
    /// <returns>True when it was added, false when it was already on the list.</returns>
    Task<bool> AddAsync(SuppressedAddress entry, CancellationToken cancellationToken = default);

    /// <summary>Takes an address off the list, so mail goes to it again.</summary>
    /// <returns>False when it was not on the list.</returns>
    Task<bool> RemoveAsync(string address, CancellationToken cancellationToken = default);

    /// <summary>The newest entries first, optionally only those whose address contains <paramref name="search"/>.</summary>
    /// <param name="search">Part of an address, in any case; null or blank lists every entry.</param>
    /// <param name="limit">The most entries returned.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    Task<IReadOnlyList<SuppressedAddress>> ListAsync(string? search, int limit, CancellationToken cancellationToken = default);
}
