using MailMvc.Mail.Outbox;

namespace MailMvc.Web.Outbox;

/// <summary>The outbox's states and outcomes in words, and whether a retry can help.</summary>
public static class OutboxStateText
{
    /// <summary>Every state, in the order the page shows them.</summary>
    public static IReadOnlyList<OutboxStatus> States { get; } = [OutboxStatus.Queued, OutboxStatus.Sending, OutboxStatus.Sent, OutboxStatus.Failed, OutboxStatus.Cancelled];

    /// <summary>The state as a sentence says it: "queued", "being sent", "sent", "failed".</summary>
    public static string Of(OutboxStatus status) => status switch
    {
        OutboxStatus.Queued => "queued",
        OutboxStatus.Sending => "being sent",
        OutboxStatus.Sent => "sent",
        OutboxStatus.Failed => "failed",
        OutboxStatus.Cancelled => "cancelled",
        _ => status.ToString().ToLowerInvariant(),
    };

    /// <summary>The state as a label: "Queued", "Being sent", "Sent", "Failed".</summary>
    public static string Label(OutboxStatus status) => string.Concat(Of(status)[..1].ToUpperInvariant(), Of(status)[1..]);

    /// <summary>The state's name in the page's address (<c>/outbox?status=…</c>).</summary>
    public static string Key(OutboxStatus status) => status.ToString().ToLowerInvariant();

    /// <summary>An attempt's outcome in words: "sent", "failed", "will retry".</summary>
    public static string Outcome(string outcome) => outcome == "retry" ? "will retry" : outcome;

    /// <summary>True when the server refused the mail for good (a 5xx reply, such as 550 for an unknown mailbox):
    /// sending it again gets the same answer.</summary>
    public static bool IsRefusedForGood(OutboxEntry mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return mail.Status == OutboxStatus.Failed && mail.LastReply is { Length: > 0 } reply && reply[0] == '5';
    }

    /// <summary>True when the mail can still be cancelled: queued, no worker holds it.</summary>
    public static bool CanCancel(OutboxEntry mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return mail.Status == OutboxStatus.Queued;
    }

    /// <summary>True when a failed mail may succeed if sent again (the server was away, or gave a temporary answer too
    /// often), so the page offers Retry.</summary>
    public static bool CanRetry(OutboxEntry mail)
    {
        ArgumentNullException.ThrowIfNull(mail);
        return mail.Status == OutboxStatus.Failed && !IsRefusedForGood(mail);
    }
}
