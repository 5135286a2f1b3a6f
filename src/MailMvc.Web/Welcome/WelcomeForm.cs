namespace MailMvc.Web.Welcome;

/// <summary>One welcome mail: a name and an address.</summary>
public sealed class WelcomeForm
{
    public string? Name { get; set; }

    public string? Email { get; set; }
}
