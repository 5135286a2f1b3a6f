using Microsoft.Extensions.Options;

namespace MailMvc.Web;

/// <summary>Stops start-up when the sending rate limit cannot work, naming the setting to change.</summary>
public sealed class SendingRateLimitOptionsValidator : IValidateOptions<SendingRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, SendingRateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        SettingRange.Check(failures, $"{SendingRateLimitOptions.SectionName}:{nameof(SendingRateLimitOptions.PermitsPerMinute)}", options.PermitsPerMinute, 1, 100_000);
        return SettingRange.Result(failures);
    }
}
