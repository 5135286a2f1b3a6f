using MailMvc.Templates.Lint;

namespace MailMvc.Web.DevMail;

/// <summary>A rendered preview: everything the preview page shows about one mail.</summary>
public sealed record MailPreview(
    MailPreviewCase Case,
    MessageHeaders Headers,
    string Html,
    string? Text,
    string Source,
    long SizeBytes,
    IReadOnlyList<AttachmentInfo> Attachments,
    IReadOnlyList<string> Problems,
    IReadOnlyList<LinkInfo> Links)
{
    /// <summary>Gmail clips messages above about 102 KB.</summary>
    public const long GmailClipBytes = 102 * 1024;

    /// <summary>What <see cref="EmailLint"/> found in the rendered mail, errors first.</summary>
    public IReadOnlyList<EmailLintFinding> Findings { get; init; } = [];

    public bool IsClippedByGmail => SizeBytes > GmailClipBytes;

    /// <summary>The culture of the template variant shown (<c>de</c>), or empty for the template itself.</summary>
    public string Culture { get; init; } = string.Empty;

    /// <summary>Every header of the message as it would be sent, in order, for the Headers tab.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> AllHeaders { get; init; } = [];

    /// <summary>Every culture the template has a variant for, for the page's language switch.</summary>
    public IReadOnlyList<string> Cultures { get; init; } = [];
}
