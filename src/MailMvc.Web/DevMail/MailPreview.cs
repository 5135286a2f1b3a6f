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
}
