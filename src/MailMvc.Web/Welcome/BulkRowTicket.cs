namespace MailMvc.Web.Welcome;

/// <summary>Which row a mail in flight came from, handed back with its result.</summary>
/// <param name="JobId">The job.</param>
/// <param name="Line">The row's line.</param>
public sealed record BulkRowTicket(string JobId, int Line);
