namespace MailMvc.Mail.Suppression;

/// <summary>
/// The suppression list looked up once for many mails' recipients (a bulk send's next few, an outbox worker's pipelined
/// run), so each mail's check reads it instead of making a lookup of its own.
/// </summary>
internal sealed class SuppressionLookup
{
    private readonly HashSet<string> _addresses;
    private readonly Dictionary<string, SuppressedAddress> _found = new(StringComparer.OrdinalIgnoreCase);

    // The messages looked up (a bulk send's), by reference, with their recipients as they were then; only those none of
    // whose recipients was found, the usual case, which their checks can then pass without reading their addresses again.
    private readonly Dictionary<Message, IReadOnlyList<string>>? _clear;

    private SuppressionLookup(HashSet<string> addresses, IReadOnlyList<SuppressedAddress> found, Dictionary<Message, IReadOnlyList<string>>? clear)
    {
        _addresses = addresses;
        foreach (var entry in found)
        {
            _found.TryAdd(entry.Address, entry);
        }

        _clear = clear;
    }

    /// <summary>Looks up <paramref name="addresses"/> in <paramref name="list"/> in one lookup.</summary>
    /// <returns>The lookup; null when there was no address to look up.</returns>
    public static async Task<SuppressionLookup?> FindAsync(ISuppressionList list, IEnumerable<string> addresses, CancellationToken cancellationToken)
    {
        var looked = new HashSet<string>(addresses.Select(a => a.Trim()).Where(a => a.Length > 0), StringComparer.OrdinalIgnoreCase);
        return looked.Count == 0 ? null : new SuppressionLookup(looked, await list.FindAsync(looked, cancellationToken).ConfigureAwait(false), clear: null);
    }

    /// <summary>Looks up the recipients of <paramref name="messages"/> in <paramref name="list"/> in one lookup, and
    /// notes which messages none of them is suppressed for (<see cref="Clears"/>).</summary>
    /// <returns>The lookup; null when there was no address to look up.</returns>
    public static async Task<SuppressionLookup?> FindAsync(ISuppressionList list, IReadOnlyList<Message> messages, CancellationToken cancellationToken)
    {
        var looked = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var recipients = new (Message Message, IReadOnlyList<string> SendTo, string?[] Addresses)[messages.Count];
        for (var i = 0; i < messages.Count; i++)
        {
            var sendTo = messages[i].SendTo;
            var addresses = new string?[sendTo.Count];
            for (var j = 0; j < sendTo.Count; j++)
            {
                if (BareAddress(sendTo[j])?.Trim() is { Length: > 0 } address)
                {
                    looked.Add(address);
                    addresses[j] = address;
                }
            }

            recipients[i] = (messages[i], sendTo, addresses);
        }

        if (looked.Count == 0)
        {
            return null;
        }

        var found = await list.FindAsync(looked, cancellationToken).ConfigureAwait(false);
        var lookup = new SuppressionLookup(looked, found, new Dictionary<Message, IReadOnlyList<string>>(messages.Count, ReferenceEqualityComparer.Instance));
        foreach (var (message, sendTo, addresses) in recipients)
        {
            if (found.Count == 0 || !addresses.Any(a => a is not null && lookup._found.ContainsKey(a)))
            {
                lookup._clear!.TryAdd(message, sendTo);
            }
        }

        return lookup;
    }

    /// <summary>True when <paramref name="message"/> was looked up with the recipients it has now, and none of them is
    /// suppressed: its check has nothing to take off.</summary>
    public bool Clears(Message message) =>
        _clear is not null && _clear.TryGetValue(message, out var sendTo) && message.SendTo.SequenceEqual(sendTo, StringComparer.Ordinal);

    /// <summary>The address of <c>addr</c> or <c>Name &lt;addr&gt;</c>; null when it does not parse (the mailer's own
    /// check then reports it).</summary>
    public static string? BareAddress(string recipient)
    {
        try
        {
            return new EmailAddress(recipient).ToMailboxAddress().Address;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>The entries of the suppressed ones among <paramref name="addresses"/>; null when not every one of them
    /// was looked up (the recipients changed since: the caller looks them up itself).</summary>
    public IReadOnlyList<SuppressedAddress>? Among(IReadOnlyCollection<string> addresses) =>
        addresses.All(a => _addresses.Contains(a.Trim()))
            ? [.. addresses.Select(a => _found.GetValueOrDefault(a.Trim())).OfType<SuppressedAddress>().Distinct()]
            : null;
}
