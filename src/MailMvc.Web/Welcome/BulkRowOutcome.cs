namespace MailMvc.Web.Welcome;

/// <summary>What happened to one CSV row (stored in lower case, the name as it is).</summary>
public enum BulkRowOutcome
{
    /// <summary>Not sent yet: the job has not reached it, or it is paused.</summary>
    Waiting,

    /// <summary>Handed to a connection; the server's answer is not recorded yet. After a crash such a row is sent again
    /// (with the same Message-ID).</summary>
    Sending,

    /// <summary>The server accepted the welcome mail.</summary>
    Sent,

    /// <summary>The welcome mail is stored in the outbox, which delivers it in the background (queued mode).</summary>
    Queued,

    /// <summary>The row's name or address is not valid, or the line could not be read; nothing was sent.</summary>
    Invalid,

    /// <summary>The server refused the recipient for good.</summary>
    Refused,

    /// <summary>The server could not take the mail now (unreachable, timed out, a 4xx reply).</summary>
    Failed,

    /// <summary>Not sent because an earlier upload of the same list already sent it.</summary>
    Skipped,

    /// <summary>Not sent because the address is on the suppression list (the detail says since when: "unsubscribed on …").</summary>
    Suppressed,

    /// <summary>Not sent because the job was cancelled first.</summary>
    Cancelled,
}
