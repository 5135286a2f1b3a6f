namespace MailMvc.Web.Welcome;

/// <summary>The model of <c>Templates/Welcome.cshtml</c>.</summary>
/// <param name="Name">The new user's name, as they typed it.</param>
/// <param name="Email">Their address.</param>
/// <param name="ShowDeveloperLinks">True only in Development: the mail then links to the template previews
/// (<c>/dev/mail</c>), which do not exist anywhere else.</param>
/// <param name="UnsubscribeUrl">The one-click unsubscribe link when the mail comes from a list; the mail then shows it.</param>
public sealed record WelcomeModel(string Name, string Email, bool ShowDeveloperLinks = false, string? UnsubscribeUrl = null);
