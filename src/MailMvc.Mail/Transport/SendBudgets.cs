namespace MailMvc.Mail.Transport;

/// <summary>
/// The sending budgets the configuration sets (each server's <see cref="RateLimitOptions"/> and the daily brake,
/// <see cref="MailOptions.DailyLimit"/>) and where they are counted: for pages and health checks that show how much
/// is used today and when it resets.
/// </summary>
public sealed class SendBudgets
{
    /// <summary>The budget name of the daily brake, which counts all mail.</summary>
    public const string AllMail = "all mail";

    /// <summary>Creates the list from <paramref name="options"/>.</summary>
    /// <param name="options">The mail settings.</param>
    /// <param name="store">Where the budgets are counted.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public SendBudgets(MailOptions options, ISendBudgetStore store)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(store);
        Store = store;
        var budgets = new List<ConfiguredSendBudget>();
        if (options.DeliveryMethod != MailDeliveryMethod.PickupDirectory)
        {
            if (options.Servers.Count == 0 && options.RateLimit.IsSet)
            {
                budgets.Add(new ConfiguredSendBudget(ForServer(options), "Mail:RateLimit", options.RateLimit));
            }

            for (var i = 0; i < options.Servers.Count; i++)
            {
                if (options.Servers[i].RateLimit is { IsSet: true } limits)
                {
                    budgets.Add(new ConfiguredSendBudget(ForServer(options.For(options.Servers[i])), $"Mail:Servers:{i}:RateLimit", limits));
                }
            }
        }

        if (options.DailyLimit is { } brake)
        {
            budgets.Add(new ConfiguredSendBudget(AllMail, "Mail:DailyLimit", new RateLimitOptions { PerDay = brake }));
        }

        Configured = budgets;
    }

    /// <summary>Where the budgets are counted.</summary>
    public ISendBudgetStore Store { get; }

    /// <summary>The budgets the configuration sets, servers first, then the daily brake.</summary>
    public IReadOnlyList<ConfiguredSendBudget> Configured { get; }

    /// <summary>How much of each configured budget is used now.</summary>
    /// <exception cref="System.Data.Common.DbException">A store that counts in a database cannot read it.</exception>
    public async Task<IReadOnlyList<SendBudgetReport>> ReadAsync(CancellationToken cancellationToken = default)
    {
        var reports = new List<SendBudgetReport>(Configured.Count);
        foreach (var budget in Configured)
        {
            reports.Add(new SendBudgetReport(budget, await Store.GetStateAsync(budget.Budget, budget.Limits, cancellationToken).ConfigureAwait(false)));
        }

        return reports;
    }

    /// <summary>The budget name of a server: its <c>host:port</c>, the same on every instance configured alike.</summary>
    internal static string ForServer(MailOptions server) => $"{server.SmtpHost}:{server.Port}";
}
