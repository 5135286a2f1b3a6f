using Microsoft.Extensions.Options;

namespace MailMvc.Web.Welcome;

/// <summary>Stops start-up when the bulk welcome upload's settings cannot work, naming the setting to change.</summary>
public sealed class BulkWelcomeOptionsValidator : IValidateOptions<BulkWelcomeOptions>
{
    /// <summary>The upload's request size limit (<c>WelcomeController</c>): a larger list never arrives.</summary>
    public const long MaxRequestBytes = 128 * 1024 * 1024;

    public ValidateOptionsResult Validate(string? name, BulkWelcomeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        SettingRange.Check(failures, $"{BulkWelcomeOptions.SectionName}:{nameof(BulkWelcomeOptions.MaxUploadBytes)}", options.MaxUploadBytes, 1, MaxRequestBytes);
        SettingRange.Check(failures, $"{BulkWelcomeOptions.SectionName}:{nameof(BulkWelcomeOptions.Connections)}", options.Connections, 1, 100);
        if (string.IsNullOrWhiteSpace(options.WorkDirectory))
        {
            failures.Add($"{BulkWelcomeOptions.SectionName}:{nameof(BulkWelcomeOptions.WorkDirectory)} is empty; give the folder uploaded lists are kept in, such as App_Data/bulk.");
        }

        return SettingRange.Result(failures);
    }
}
