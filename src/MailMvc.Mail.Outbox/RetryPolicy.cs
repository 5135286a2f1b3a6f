namespace MailMvc.Mail.Outbox;

/// <summary>Decides what a failed attempt leads to: another attempt (and when), or failed for good.</summary>
internal static class RetryPolicy
{
    /// <summary>True for a refusal that no retry changes: a 5xx for a recipient, the sender or the message, or a
    /// message that cannot be read. A 4xx, a timeout, an unreachable server, a dropped connection and, since an
    /// operator can fix them, login and TLS problems are retried.</summary>
    public static bool IsPermanent(Exception error) => error switch
    {
        MailRecipientRefusedException => true,
        MailDeliveryException delivery => !delivery.IsTransient && !delivery.IsConnectionFailure,
        _ => true,
    };

    /// <summary>True when the error is about the connection, not the mail: the rest of a batch waits too.</summary>
    public static bool IsConnectionFailure(Exception error) => error is MailDeliveryException { IsConnectionFailure: true };

    /// <summary>Exponential back-off with jitter: base × 2^(attempts − 1), capped, then scaled by 50–100%.</summary>
    /// <param name="attempts">Attempts made so far (1 after the first).</param>
    /// <param name="options">The base and maximum delays.</param>
    /// <param name="random">A number in [0, 1).</param>
    public static TimeSpan Delay(int attempts, OutboxOptions options, double random)
    {
        var exponential = options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempts - 1));
        var capped = Math.Min(exponential, options.RetryMaxDelay.TotalMilliseconds);
        return TimeSpan.FromMilliseconds(capped * (0.5 + (random * 0.5)));
    }
}
