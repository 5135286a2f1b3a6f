namespace MailMvc.Web.Welcome;

/// <summary>What the check of a list found before anything is sent.</summary>
/// <param name="SentEarlier">Rows an earlier upload of the same list already sent to the same address.</param>
/// <param name="SampleSubject">The first row's welcome mail's subject, or null when no row can be sent.</param>
/// <param name="SampleText">Its text part.</param>
/// <param name="SampleTo">Whom it goes to.</param>
/// <param name="MailBytes">The size of that mail as sent.</param>
/// <param name="EstimatedBytes">The size of every mail to send, estimated from the sample.</param>
/// <param name="EstimatedTime">How long sending them should take at the configured rate.</param>
public sealed record BulkCheckSummary(int SentEarlier, string? SampleSubject, string? SampleText, string? SampleTo, long MailBytes,
    long EstimatedBytes, TimeSpan EstimatedTime);
