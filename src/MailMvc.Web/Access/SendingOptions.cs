namespace MailMvc.Web.Access;

/// <summary>Who may use the pages that send mail (compose, welcome) outside Development, section <c>Sending</c>.
/// With neither set they answer 404 there: an open compose page is an open relay.</summary>
public sealed class SendingOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sending";

    /// <summary>The role whose users may send, as the app's authentication sets it.</summary>
    public string? Role { get; set; }

    /// <summary>Let anyone send (a private network, say). Off by default.</summary>
    public bool AllowAnonymous { get; set; }
}
