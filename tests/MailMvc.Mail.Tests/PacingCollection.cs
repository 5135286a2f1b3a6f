namespace MailMvc.Mail.Tests;

/// <summary>
/// Tests that time when the caller's continuations run (results reaching the caller as each mail is done). xUnit runs
/// this collection on its own, after the parallel ones, so no other test's blocking starves the thread pool under them.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class PacingCollection
{
    public const string Name = "Pacing";
}
