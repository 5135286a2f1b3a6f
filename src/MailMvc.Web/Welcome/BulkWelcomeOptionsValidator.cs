using System.Globalization;
using Microsoft.Extensions.Options;

namespace MailMvc.Web.Welcome;

/// <summary>Stops start-up when the bulk lists' settings cannot work, naming the setting to change.</summary>
public sealed class BulkWelcomeOptionsValidator : IValidateOptions<BulkWelcomeOptions>
{
    /// <summary>The upload's request size limit (<c>WelcomeController</c>): a larger list never arrives.</summary>
    public const long MaxRequestBytes = 128 * 1024 * 1024;

    private const string Section = BulkWelcomeOptions.SectionName;

    public ValidateOptionsResult Validate(string? name, BulkWelcomeOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        SettingRange.Check(failures, $"{Section}:{nameof(BulkWelcomeOptions.MaxUploadBytes)}", options.MaxUploadBytes, 1, MaxRequestBytes);
        SettingRange.Check(failures, $"{Section}:{nameof(BulkWelcomeOptions.Connections)}", options.Connections, 1, 100);
        SettingRange.Check(failures, $"{Section}:{nameof(BulkWelcomeOptions.RowsInFlight)}", options.RowsInFlight, 1, 1000);
        SettingRange.Check(failures, $"{Section}:{nameof(BulkWelcomeOptions.MaxRows)}", options.MaxRows, 1, 10_000_000);
        SettingRange.Check(failures, $"{Section}:{nameof(BulkWelcomeOptions.MaxNameBytes)}", options.MaxNameBytes, 1, 64 * 1024);
        SettingRange.Check(failures, $"{Section}:{nameof(BulkWelcomeOptions.MaxEmailBytes)}", options.MaxEmailBytes, 6, 64 * 1024);
        SettingRange.Check(failures, $"{Section}:{nameof(BulkWelcomeOptions.SliceRows)}", options.SliceRows, 1, 10_000);
        if (options.KeepJobs < TimeSpan.FromMinutes(1))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Section}:{nameof(BulkWelcomeOptions.KeepJobs)} is {options.KeepJobs}; keep finished lists at least a minute (for example 7.00:00:00 for a week)."));
        }

        if (!(options.EstimatedMailsPerSecond > 0))
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture,
                $"{Section}:{nameof(BulkWelcomeOptions.EstimatedMailsPerSecond)} must be more than 0; it is {options.EstimatedMailsPerSecond}."));
        }

        if (string.IsNullOrWhiteSpace(options.DatabasePath))
        {
            failures.Add($"{Section}:{nameof(BulkWelcomeOptions.DatabasePath)} is empty; give the SQLite file the lists are kept in, such as App_Data/bulk.db.");
        }

        return SettingRange.Result(failures);
    }
}
