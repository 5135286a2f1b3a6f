namespace MailMvc.Web.Welcome;

/// <summary>The model of <c>Templates/Welcome.cshtml</c>.</summary>
/// <param name="Name">The new user's name, as they typed it.</param>
/// <param name="Email">Their address.</param>
public sealed record WelcomeModel(string Name, string Email);
