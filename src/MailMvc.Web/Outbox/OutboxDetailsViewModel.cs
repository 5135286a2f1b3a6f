using MailMvc.Mail.Outbox;

namespace MailMvc.Web.Outbox;

/// <summary>One mail of the outbox with every delivery attempt.</summary>
/// <param name="Id">The mail's number in the outbox.</param>
/// <param name="Mail">The mail.</param>
/// <param name="Attempts">Every attempt, oldest first.</param>
/// <param name="Now">The time the page was made.</param>
public sealed record OutboxDetailsViewModel(long Id, OutboxEntry Mail, IReadOnlyList<OutboxAttempt> Attempts, DateTimeOffset Now);
