namespace MailMvc.Mail.Transport;

/// <summary>What <see cref="ISendBudgetStore.TakeAsync"/> gave: room for one mail (send it after <see cref="Wait"/>),
/// or none until <see cref="FullUntil"/>.</summary>
/// <param name="Wait">How long to wait before sending: the mail's place in the second's spacing (zero when it may go now).</param>
/// <param name="FullUntil">Set when there was no room: when the full window (<paramref name="FullPeriod"/>) ends.</param>
/// <param name="FullPeriod">The window that was full.</param>
public sealed record SendBudgetTake(TimeSpan Wait, DateTimeOffset? FullUntil = null, SendBudgetPeriod? FullPeriod = null)
{
    /// <summary>True when the mail may go (after <see cref="Wait"/>).</summary>
    public bool IsGranted => FullUntil is null;
}
