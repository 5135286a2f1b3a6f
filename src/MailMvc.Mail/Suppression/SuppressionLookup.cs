namespace MailMvc.Mail.Suppression;

/// <summary>
/// The suppression list looked up once for many mails' recipients (a bulk send's next few, an outbox worker's pipelined
/// run), so each mail's check reads it instead of making a lookup of its own.
/// </summary>
internal sealed class SuppressionLookup
{
    private readonly HashSet<string> _addresses;
    private readonly Dictionary<string, SuppressedAddress> _found = new(StringComparer.OrdinalIgnoreCase);

    private SuppressionLookup(HashSet<string> addresses, IReadOnlyList<SuppressedAddress> found)
    {
        _addresses = addresses;
        foreach (var entry in found)
        {
            _found.TryAdd(entry.Address, entry);
        }
    }

    /// <summary>Looks up <paramref name="addresses"/> in <paramref name="list"/> in one lookup.</summary>
    /// <returns>The lookup; null when there was no address to look up.</returns>
    public static async Task<SuppressionLookup?> FindAsync(ISuppressionList list, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        var looked = new HashSet<string>(addresses.Select(a => a.Trim()).Where(a => a.Length > 0), StringComparer.OrdinalIgnoreCase);
        return looked.Count == 0 ? null : new SuppressionLookup(looked, await list.FindAsync(looked, cancellationToken).ConfigureAwait(false));
    }

    /// <summary>The entries of the suppressed ones among <paramref name="addresses"/>; null when not every one of them
    /// was looked up (the recipients changed since: the caller looks them up itself).</summary>
    public IReadOnlyList<SuppressedAddress>? Among(IReadOnlyCollection<string> addresses) =>
        addresses.All(a => _addresses.Contains(a.Trim()))
            ? [.. addresses.Select(a => _found.GetValueOrDefault(a.Trim())).OfType<SuppressedAddress>().Distinct()]
            : null;
}
