namespace MailMvc.Templates.Tests.Models;

/// <summary>The model of the sample <c>Templates/Order.cshtml</c>, whose markup follows the model: a gift note or
/// not, a row per item.</summary>
public sealed record OrderModel(IReadOnlyList<string> Items, bool Gift);
