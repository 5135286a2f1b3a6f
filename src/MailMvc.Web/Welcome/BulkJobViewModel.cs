namespace MailMvc.Web.Welcome;

/// <summary>The progress page of a bulk job; <see cref="Results"/> is filled once it is done.</summary>
public sealed record BulkJobViewModel(BulkWelcomeJob Job, IReadOnlyList<BulkRowResult> Results, bool ResultsTruncated);
