using MailMvc.Mail.Interception;

namespace MailMvc.Mail.Suppression;

/// <summary>
/// Checks every message against the <see cref="ISuppressionList"/>, after every other interceptor: suppressed
/// addresses are taken off To, Cc and Bcc; when no recipient is left, nothing is sent or queued and the receipt says
/// <see cref="MailDisposition.Suppressed"/> with the reason ("ada@example.com unsubscribed on …").
/// <see cref="MailServiceCollectionExtensions.AddMail"/> adds it when a suppression list is registered.
/// </summary>
public sealed class SuppressionListInterceptor : IMailInterceptor
{
    private readonly ISuppressionList _list;

    /// <summary>Creates the interceptor.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="list"/> is null.</exception>
    public SuppressionListInterceptor(ISuppressionList list)
    {
        ArgumentNullException.ThrowIfNull(list);
        _list = list;
    }

    /// <inheritdoc />
    public async ValueTask OnSendingAsync(MailSendingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var lookedAhead = context.LookedAhead?.GetValueOrDefault(this);
        if (lookedAhead?.Clears(message) == true)
        {
            // A bulk send's usual case: looked up ahead with these recipients, and none of them is on the list.
            return;
        }

        var addresses = message.SendTo.Select(SuppressionLookup.BareAddress).OfType<string>().Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (addresses.Count == 0)
        {
            return;
        }

        // Null when not looked up ahead, or when an interceptor before this one changed its recipients since.
        var found = lookedAhead?.Among(addresses)
            ?? await _list.FindAsync(addresses, cancellationToken).ConfigureAwait(false);

        if (found.Count == 0)
        {
            return;
        }

        var suppressed = found.ToDictionary(f => f.Address, StringComparer.OrdinalIgnoreCase);
        if (addresses.All(suppressed.ContainsKey))
        {
            context.Suppress(string.Join("; ", found.Select(f => $"{f.Address} {f.Describe()}")));
            return;
        }

        foreach (var field in new[] { message.Recipients, message.Cc, message.Bcc })
        {
            field.RemoveAll(to => SuppressionLookup.BareAddress(to) is { } address && suppressed.ContainsKey(address));
        }
    }

    /// <summary>Looks up the recipients of <paramref name="messages"/>, a bulk send's next few, in one lookup instead of
    /// one a message: each message's check then uses what it found (<see cref="MailSendingContext.LookedAhead"/>),
    /// unless its recipients changed meanwhile. On a list whose lookups are round trips to a database server
    /// (PostgreSQL), a lookup a mail made the check the slowest step of a bulk send.</summary>
    /// <returns>What it found; null when there was nothing to look up or the lookup failed (each message's own check
    /// then looks up its recipients, and reports a failure as usual).</returns>
    internal async Task<SuppressionLookup?> LookAheadAsync(IReadOnlyList<Message> messages, CancellationToken cancellationToken)
    {
        try
        {
            return await SuppressionLookup.FindAsync(_list, messages, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // A list's own time-out included: only the send's cancellation ends it.
            return null;
        }
    }
}
