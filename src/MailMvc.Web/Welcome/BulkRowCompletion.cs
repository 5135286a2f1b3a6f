namespace MailMvc.Web.Welcome;

/// <summary>A row's result, to be recorded in the store.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Line">The row's line.</param>
/// <param name="Outcome">What became of the row.</param>
/// <param name="Detail">The Message-ID, or what went wrong, for the results page.</param>
public sealed record BulkRowCompletion(string JobId, int Line, BulkRowOutcome Outcome, string? Detail);
