namespace MailMvc.Mail.Suppression;

/// <summary>Why an address is on the <see cref="ISuppressionList"/>.</summary>
public enum SuppressionReason
{
    /// <summary>The person unsubscribed (a one-click unsubscribe, or the confirm page of the link).</summary>
    Unsubscribed,

    /// <summary>A server refused the address for good as one that does not exist (550 5.1.1 "no such user").</summary>
    UnknownRecipient,

    /// <summary>An administrator added it.</summary>
    Manual,
}
