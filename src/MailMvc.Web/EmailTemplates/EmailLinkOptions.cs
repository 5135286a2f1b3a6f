namespace MailMvc.Web.EmailTemplates;

/// <summary>The web app's view of <c>EmailTemplates:BaseUrl</c>, checked at start-up by
/// <see cref="EmailLinkOptionsValidator"/>: the templates library has a localhost default that only suits
/// Development.</summary>
public sealed class EmailLinkOptions
{
    /// <summary>The configuration section (the templates library's).</summary>
    public const string SectionName = "EmailTemplates";

    /// <summary>The address links in mails point to; null when not configured.</summary>
    public string? BaseUrl { get; set; }
}
