namespace MailMvc.Web.Outbox;

/// <summary>Who may open the outbox page outside Development, section <c>Outbox</c>.</summary>
public sealed class OutboxPageOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Outbox";

    /// <summary>The role whose users may see the outbox page and retry failed mails outside Development.
    /// Unset means nobody: the page answers 404 there, as if it did not exist.</summary>
    public string? AdminRole { get; set; }
}
