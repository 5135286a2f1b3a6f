namespace MailMvc.Mail.Transport;

/// <summary>
/// Where sending budgets (<see cref="RateLimitOptions"/>, <see cref="MailOptions.DailyLimit"/>) are counted. The default,
/// <see cref="InProcessSendBudgetStore"/>, counts in this process; the outbox (<c>AddOutbox()</c>) counts in its
/// database, so every instance sharing it shares each budget. Implementations must be safe for concurrent use.
/// </summary>
public interface ISendBudgetStore
{
    /// <summary>Takes room for one mail in budget <paramref name="budget"/> (a server's <c>host:port</c>, or
    /// <see cref="SendBudgets.AllMail"/> for the daily brake), in every window <paramref name="limits"/> sets, all or none.</summary>
    /// <returns>Room (with the wait before sending), or when the full window ends.</returns>
    Task<SendBudgetTake> TakeAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken);

    /// <summary>Gives back the room one mail took in the day's and the minute's windows of budget <paramref name="budget"/>
    /// (not its slot in the second's spacing), when the mail was then not sent: a budget beneath had no room for it.</summary>
    Task GiveBackAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken);

    /// <summary>Reads how much of budget <paramref name="budget"/> is used, without taking any.</summary>
    Task<SendBudgetState> GetStateAsync(string budget, RateLimitOptions limits, CancellationToken cancellationToken);
}
