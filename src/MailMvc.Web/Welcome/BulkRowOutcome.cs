namespace MailMvc.Web.Welcome;

/// <summary>What happened to one CSV row.</summary>
public enum BulkRowOutcome
{
    /// <summary>The server accepted the welcome mail.</summary>
    Sent,

    /// <summary>The welcome mail is stored in the outbox, which delivers it in the background (queued mode).</summary>
    Queued,

    /// <summary>The row's name or address is not valid; nothing was sent.</summary>
    Invalid,

    /// <summary>The server refused the recipient for good.</summary>
    Refused,

    /// <summary>The server could not take the mail now (unreachable, timed out, a 4xx reply).</summary>
    Failed,
}
