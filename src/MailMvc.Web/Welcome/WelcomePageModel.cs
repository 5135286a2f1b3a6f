namespace MailMvc.Web.Welcome;

/// <summary>The welcome page: the single-mail form and the list upload form.</summary>
public sealed class WelcomePageModel
{
    public WelcomeForm Single { get; set; } = new();

    public BulkWelcomeForm Bulk { get; set; } = new();
}
