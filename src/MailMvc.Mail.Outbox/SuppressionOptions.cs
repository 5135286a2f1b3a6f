namespace MailMvc.Mail.Outbox;

/// <summary>
/// The suppression list, section <c>Mail:Suppression</c>, added with
/// <see cref="SuppressionMailBuilderExtensions.AddSuppressionList"/>. The list lives in the outbox's database while the
/// outbox is on with SQLite or PostgreSQL (shared by every instance on PostgreSQL), else in <see cref="DatabasePath"/>.
/// </summary>
public sealed class SuppressionOptions
{
    /// <summary>The configuration section, under the mail section.</summary>
    public const string SectionName = "Suppression";

    /// <summary>The SQLite file of the list while the outbox is off (or has a store of your own); a relative path is under
    /// the content root. Unset means <c>App_Data/suppressions.db</c>.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>Which mails' permanent "no such user" refusals (550 5.1.1 and the like) from the outbox add the address
    /// to the list: <see cref="UnknownRecipientPolicy.BulkMail"/> by default.</summary>
    public UnknownRecipientPolicy AddUnknownRecipients { get; set; } = UnknownRecipientPolicy.BulkMail;
}
