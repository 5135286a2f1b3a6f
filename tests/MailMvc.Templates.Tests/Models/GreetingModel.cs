namespace MailMvc.Templates.Tests.Models;

/// <summary>The model of the sample <c>Templates/Greeting.cshtml</c> and its text twin.</summary>
public sealed record GreetingModel(string Name, string Email);
