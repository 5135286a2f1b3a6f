using System.Globalization;
using Microsoft.Extensions.Options;

namespace MailMvc.Web;

/// <summary>Stops start-up when the sending rate limit cannot work, naming the setting to change.</summary>
public sealed class SendingRateLimitOptionsValidator : IValidateOptions<SendingRateLimitOptions>
{
    public ValidateOptionsResult Validate(string? name, SendingRateLimitOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        const string Section = SendingRateLimitOptions.SectionName;
        SettingRange.Check(failures, $"{Section}:{nameof(SendingRateLimitOptions.PermitsPerMinute)}", options.PermitsPerMinute, 1, 100_000);
        SettingRange.Check(failures, $"{Section}:{nameof(SendingRateLimitOptions.RecipientsPerMinute)}", options.RecipientsPerMinute, 1, 1_000_000);
        SettingRange.Check(failures, $"{Section}:{nameof(SendingRateLimitOptions.RecipientsPerDay)}", options.RecipientsPerDay, 1, 10_000_000);
        if (options.RecipientsPerMinute > options.RecipientsPerDay)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Section}:{nameof(SendingRateLimitOptions.RecipientsPerMinute)} ({options.RecipientsPerMinute}) is more than {Section}:{nameof(SendingRateLimitOptions.RecipientsPerDay)} ({options.RecipientsPerDay}); raise the daily budget or lower the one a minute."));
        }

        return SettingRange.Result(failures);
    }
}
