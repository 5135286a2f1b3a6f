using System.Globalization;
using Microsoft.Extensions.Options;

namespace MailMvc.Web;

/// <summary>The fix-it sentences the option validators give for a number outside its range, and their result.</summary>
internal static class SettingRange
{
    /// <summary>Adds "<paramref name="key"/> must be between … and …; it is …." to <paramref name="failures"/> when
    /// <paramref name="value"/> is outside <paramref name="min"/>..<paramref name="max"/>.</summary>
    public static void Check(ICollection<string> failures, string key, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            failures.Add(string.Create(CultureInfo.InvariantCulture, $"{key} must be between {min} and {max}; it is {value}."));
        }
    }

    /// <summary>Success when nothing failed, else every failure at once.</summary>
    public static ValidateOptionsResult Result(IReadOnlyCollection<string> failures) =>
        failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
}
