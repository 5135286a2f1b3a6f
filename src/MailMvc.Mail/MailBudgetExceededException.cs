namespace MailMvc.Mail;

/// <summary>
/// A sending budget (<see cref="RateLimitOptions"/>, <see cref="MailOptions.DailyLimit"/>) has no room for the mail: it
/// was not sent, and no connection was used for it. Transient and about the server, like a server that is away: the
/// outbox keeps the mail queued until <see cref="RetryAt"/> without counting an attempt.
/// </summary>
public sealed class MailBudgetExceededException : MailDeliveryException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is used up and when it resets, in words.</param>
    /// <param name="retryAt">When to try the mail again.</param>
    public MailBudgetExceededException(string message, DateTimeOffset retryAt)
        : base(message, null, isTransient: true, null, isConnectionFailure: true) => RetryAt = retryAt;

    /// <summary>When to try the mail again: when the full window ends, or now when another connection (another
    /// server) may have room.</summary>
    public DateTimeOffset RetryAt { get; }
}
