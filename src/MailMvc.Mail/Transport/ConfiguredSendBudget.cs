namespace MailMvc.Mail.Transport;

/// <summary>One sending budget the configuration sets (<see cref="SendBudgets.Configured"/>).</summary>
/// <param name="Budget">What it counts: a server's <c>host:port</c>, or <see cref="SendBudgets.AllMail"/> for the daily brake.</param>
/// <param name="Setting">Where it is set, for people: <c>Mail:Servers:0:RateLimit</c>, <c>Mail:DailyLimit</c>.</param>
/// <param name="Limits">The limits.</param>
public sealed record ConfiguredSendBudget(string Budget, string Setting, RateLimitOptions Limits);
