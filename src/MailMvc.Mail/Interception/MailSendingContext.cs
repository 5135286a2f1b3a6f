namespace MailMvc.Mail.Interception;

/// <summary>One message on its way through the interceptors.</summary>
public sealed class MailSendingContext
{
    /// <summary>Creates the context.</summary>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public MailSendingContext(Message message, MailOptions options)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(options);
        Message = message;
        Options = options;
    }

    /// <summary>The message as it will be sent; interceptors may change it.</summary>
    public Message Message { get; }

    /// <summary>The mail settings in force.</summary>
    public MailOptions Options { get; }

    /// <summary>What the interceptors that look ahead found for the bulk send's next few messages, this one among them
    /// (<see cref="Mailer.LookAheadAsync"/>); null when nothing was looked ahead for it.</summary>
    internal IReadOnlyDictionary<Suppression.SuppressionListInterceptor, Suppression.SuppressionLookup>? LookedAhead { get; init; }

    /// <summary>Why the message was stopped, or null while it goes on.</summary>
    public string? StopReason { get; private set; }

    /// <summary>True once an interceptor stopped the message: later interceptors do not run and nothing is sent.</summary>
    public bool IsStopped => StopReason is not null;

    /// <summary>Stops the message: nothing is sent, and the send's receipt says <see cref="MailDisposition.Stopped"/>
    /// with <paramref name="reason"/>.</summary>
    /// <param name="reason">A sentence a person understands, for the receipt and the log.</param>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    public void Stop(string reason)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        StopReason = reason;
    }

    /// <summary>True when the message was stopped by <see cref="Suppress"/> rather than <see cref="Stop"/>.</summary>
    public bool IsSuppressed { get; private set; }

    /// <summary>Stops the message because every recipient is on the suppression list: nothing is sent, and the send's
    /// receipt says <see cref="MailDisposition.Suppressed"/> with <paramref name="reason"/>.</summary>
    /// <param name="reason">Whom and since when, such as "ada@example.com unsubscribed on 2026-05-01 09:12 UTC".</param>
    /// <exception cref="ArgumentException"><paramref name="reason"/> is empty.</exception>
    public void Suppress(string reason)
    {
        Stop(reason);
        IsSuppressed = true;
    }
}
