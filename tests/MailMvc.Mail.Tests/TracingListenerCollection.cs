namespace MailMvc.Mail.Tests;

/// <summary>
/// Tests that listen to the mail's <see cref="System.Diagnostics.ActivitySource"/>. A listener is process-wide: while
/// one lives, every mailer and outbox worker in the process sees tracing on, and an outbox worker then sends each mail
/// alone (each keeps its own span) instead of in pipelined runs, which other tests count. xUnit runs this collection on
/// its own, after the parallel ones, so no other test runs while the listener does.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TracingListenerCollection
{
    public const string Name = "Tracing listener";
}
