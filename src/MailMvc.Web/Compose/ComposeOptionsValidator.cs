using Microsoft.Extensions.Options;

namespace MailMvc.Web.Compose;

/// <summary>Stops start-up when the compose page's limits cannot work, naming the setting to change.</summary>
public sealed class ComposeOptionsValidator : IValidateOptions<ComposeOptions>
{
    /// <summary>The compose form's request size limit (<c>ComposeController</c>): attachments cannot be larger.</summary>
    public const long MaxRequestBytes = 64 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, ComposeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        SettingRange.Check(failures, $"{ComposeOptions.SectionName}:{nameof(ComposeOptions.MaxRecipients)}", options.MaxRecipients, 1, 1000);
        SettingRange.Check(failures, $"{ComposeOptions.SectionName}:{nameof(ComposeOptions.MaxAttachments)}", options.MaxAttachments, 0, 100);
        SettingRange.Check(failures, $"{ComposeOptions.SectionName}:{nameof(ComposeOptions.MaxAttachmentBytes)}", options.MaxAttachmentBytes, 1, MaxRequestBytes);
        return SettingRange.Result(failures);
    }
}
