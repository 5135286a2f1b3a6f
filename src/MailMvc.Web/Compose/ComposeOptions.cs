namespace MailMvc.Web.Compose;

/// <summary>Limits of the compose page, section <c>Compose</c>.</summary>
public sealed class ComposeOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Compose";

    /// <summary>The most attachment bytes one mail may carry, all files together (10 MB by default).</summary>
    public long MaxAttachmentBytes { get; set; } = 10 * 1024 * 1024;

    /// <summary>The most addresses one mail may go to, To, Cc and Bcc together.</summary>
    public int MaxRecipients { get; set; } = 50;

    /// <summary>The most files one mail may carry.</summary>
    public int MaxAttachments { get; set; } = 10;
}
