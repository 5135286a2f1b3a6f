namespace MailMvc.Samples.Templates;

/// <summary>The model of a template <c>OrderShipped.cshtml</c> (<c>@model OrderShippedModel</c>).</summary>
/// <param name="Name">The customer's name.</param>
/// <param name="OrderNumber">The order that shipped.</param>
public sealed record OrderShippedModel(string Name, string OrderNumber);
