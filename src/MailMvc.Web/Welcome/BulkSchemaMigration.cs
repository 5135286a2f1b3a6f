namespace MailMvc.Web.Welcome;

/// <summary>One step of the bulk store's schema; each runs once per database.</summary>
/// <param name="Version">The version the step brings the schema to.</param>
/// <param name="Description">What it adds, for the schema table.</param>
/// <param name="Sql">The statements (written to create only what is missing).</param>
public sealed record BulkSchemaMigration(int Version, string Description, string Sql);
