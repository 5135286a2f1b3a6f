namespace MailMvc.Web.Welcome;

/// <summary>What <see cref="BulkListImporter.ImportAsync"/> made of an upload.</summary>
/// <param name="JobId">The new job, in state <see cref="BulkJobState.Checked"/>; null when the list was refused.</param>
/// <param name="Problem">Why the list was refused, in a sentence; null when it was stored.</param>
public sealed record BulkImportResult(string? JobId, string? Problem);
