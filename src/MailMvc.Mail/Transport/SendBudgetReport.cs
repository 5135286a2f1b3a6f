namespace MailMvc.Mail.Transport;

/// <summary>A configured sending budget and how much of it is used (<see cref="SendBudgets.ReadAsync"/>).</summary>
/// <param name="Budget">The budget as configured.</param>
/// <param name="State">How much of it is used, and whether it is full.</param>
public sealed record SendBudgetReport(ConfiguredSendBudget Budget, SendBudgetState State);
