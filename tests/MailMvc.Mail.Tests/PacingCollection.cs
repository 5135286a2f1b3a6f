namespace MailMvc.Mail.Tests;

/// <summary>
/// Tests that time when things happen: results reaching the caller as each mail is done, mails reaching the server at
/// a budget's rate. xUnit runs this collection on its own, after the parallel ones, so no other test's load starves the
/// thread pool or the machine under them (CI saw a caller held back 966 ms, and two outboxes sharing 20 mails a second
/// delivered 16 a second beside the parallel tests).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PacingCollection
{
    public const string Name = "Pacing";
}
