namespace MailMvc.Mail.Transport;

/// <summary>How much of a sending budget is used (<see cref="ISendBudgetStore.GetStateAsync"/>).</summary>
/// <param name="UsedToday">Mails sent within the budget this UTC day.</param>
/// <param name="ResetsAt">When the day's count starts again: the next UTC midnight.</param>
/// <param name="FullUntil">Set when no mail may go now: when the full window (<paramref name="FullPeriod"/>) ends.</param>
/// <param name="FullPeriod">The window that is full.</param>
public sealed record SendBudgetState(long UsedToday, DateTimeOffset ResetsAt, DateTimeOffset? FullUntil = null, SendBudgetPeriod? FullPeriod = null);
