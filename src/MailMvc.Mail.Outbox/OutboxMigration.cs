namespace MailMvc.Mail.Outbox;

/// <summary>One step of the outbox schema: applied once per database, in version order, and recorded in
/// <c>mailmvc_outbox_schema</c>.</summary>
/// <param name="Version">Its number, higher than the step before's (versions are compared, not counted).</param>
/// <param name="Description">What it changes, recorded with it.</param>
/// <param name="Sql">The statements.</param>
internal sealed record OutboxMigration(int Version, string Description, string Sql)
{
    /// <summary>Step 6's description, the same in both stores (PostgreSQL also stops compressing the MIME in it).</summary>
    public const string SendAsStored = "whether a stored mail goes out as its bytes, and the MIME stored uncompressed";
}
