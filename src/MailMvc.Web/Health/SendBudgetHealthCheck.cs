using System.Globalization;
using MailMvc.Mail;
using MailMvc.Mail.Transport;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace MailMvc.Web.Health;

/// <summary>The sending budgets (each server's <c>RateLimit</c> and the daily brake, <c>Mail:DailyLimit</c>): how much each
/// has used today and when it resets. Degraded while one is full, since mail then waits for it; Healthy with none set.</summary>
public sealed class SendBudgetHealthCheck : IHealthCheck
{
    private readonly SendBudgets _budgets;

    public SendBudgetHealthCheck(SendBudgets budgets) => _budgets = budgets;

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (_budgets.Configured.Count == 0)
        {
            return HealthCheckResult.Healthy("No sending budget is set.", new Dictionary<string, object> { ["budgets"] = Array.Empty<object>() });
        }

        IReadOnlyList<SendBudgetReport> reports;
        try
        {
            reports = await _budgets.ReadAsync(cancellationToken);
        }
        catch (MailDeliveryException e)
        {
            return HealthCheckResult.Unhealthy("The sending budgets cannot be read, so no mail goes.", e);
        }

        var data = new Dictionary<string, object>
        {
            ["budgets"] = reports.Select(r => new Dictionary<string, object?>
            {
                // Anyone may read /healthz: the budget is named by its setting, never by its server.
                ["setting"] = r.Budget.Setting,
                ["perSecond"] = r.Budget.Limits.PerSecond,
                ["perMinute"] = r.Budget.Limits.PerMinute,
                ["perDay"] = r.Budget.Limits.PerDay,
                ["usedToday"] = r.State.UsedToday,
                ["resetsAt"] = r.State.ResetsAt,
                ["fullUntil"] = r.State.FullUntil,
            }).ToList(),
        };
        var full = reports.Where(r => r.State.FullUntil is not null).ToList();
        return full.Count > 0
            ? HealthCheckResult.Degraded(string.Join(" ", full.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r.Budget.Setting} is used up until {r.State.FullUntil:yyyy-MM-dd HH:mm:ss} UTC; mail waits."))), data: data)
            : HealthCheckResult.Healthy(string.Join(" ", reports.Select(r => string.Create(CultureInfo.InvariantCulture,
                $"{r.Budget.Setting}: {r.State.UsedToday}{(r.Budget.Limits.PerDay is { } perDay ? $" of {perDay}" : "")} today."))), data);
    }
}
