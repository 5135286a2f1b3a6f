namespace MailMvc.Web.Welcome;

/// <summary>A CSV list of people to welcome.</summary>
public sealed class BulkWelcomeForm
{
    public IFormFile? List { get; set; }
}
