using MailMvc.Mail.Outbox;
using MailMvc.Mail.Transport;

namespace MailMvc.Web.Outbox;

/// <summary>The outbox page: how many mails are in each state, and the most recent ones.</summary>
/// <param name="Counts">Mails per state, and since when the oldest one waits.</param>
/// <param name="Mails">The most recent mails, newest first, in <paramref name="Filter"/>'s state if set.</param>
/// <param name="Filter">The state the list is limited to, or null for every state.</param>
/// <param name="Limit">The most mails listed.</param>
/// <param name="Now">The time the page was made, to say how old and how soon things are.</param>
/// <param name="Transport">Where the outbox is and where it delivers to, in words.</param>
public sealed record OutboxIndexViewModel(
    OutboxCounts Counts, IReadOnlyList<OutboxEntry> Mails, OutboxStatus? Filter, int Limit, DateTimeOffset Now, string Transport)
{
    /// <summary>The mails waiting for a scheduled time still ahead, soonest first.</summary>
    public IReadOnlyList<OutboxEntry> Scheduled { get; init; } = [];

    /// <summary>The sending budgets (each server's and the daily brake) and how much of each is used today.</summary>
    public IReadOnlyList<SendBudgetReport> Budgets { get; init; } = [];

    /// <summary>Why the budgets could not be read, or null.</summary>
    public string? BudgetError { get; init; }
}
