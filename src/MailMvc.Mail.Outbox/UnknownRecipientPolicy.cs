namespace MailMvc.Mail.Outbox;

/// <summary>Which mails' permanent "no such user" refusals put the address on the suppression list
/// (<see cref="SuppressionOptions.AddUnknownRecipients"/>).</summary>
public enum UnknownRecipientPolicy
{
    /// <summary>None: the mail fails, the address stays sendable.</summary>
    Off,

    /// <summary>Bulk mail only: mails with a <c>List-Unsubscribe</c> header (every welcome list's mail, and those of any
    /// <c>SendManyAsync</c> caller who set one with <see cref="Message.SetListUnsubscribe"/>).</summary>
    BulkMail,

    /// <summary>Every mail the outbox delivers.</summary>
    AllMail,
}
