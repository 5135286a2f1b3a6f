namespace MailMvc.Web.Unsubscribe;

/// <summary>One-click unsubscribe links in bulk mail, section <c>Unsubscribe</c>, checked at start-up by
/// <see cref="UnsubscribeOptionsValidator"/>.</summary>
public sealed class UnsubscribeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Unsubscribe";

    /// <summary>The fewest characters <see cref="SigningKey"/> may have.</summary>
    public const int MinimumKeyLength = 32;

    /// <summary>The secret the links' tokens are signed with (HMAC-SHA256), at least <see cref="MinimumKeyLength"/>
    /// characters, from user-secrets or the environment (<c>Unsubscribe__SigningKey</c>), never appsettings.json; every
    /// instance needs the same one. Required outside Development; in Development, unset means a key made at start-up
    /// (links in mail sent before a restart then stop working).</summary>
    public string? SigningKey { get; set; }

    /// <summary>An address to unsubscribe by mail, offered beside the link as RFC 2369's <c>mailto:</c> alternative
    /// (with the token in the subject); unset offers the link alone. Someone must read that mailbox.</summary>
    public string? MailTo { get; set; }
}
