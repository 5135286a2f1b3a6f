using System.Globalization;

namespace MailMvc.Web.Outbox;

/// <summary>A duration as a person reads it: "42 s", "3 min 12 s", "2 h 5 min", "3 d 4 h".</summary>
public static class AgeText
{
    /// <summary>The two largest units of <paramref name="age"/>; negative ages read as "0 s".</summary>
    public static string Describe(TimeSpan age)
    {
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age switch
        {
            { TotalMinutes: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalSeconds} s"),
            { TotalHours: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{age.Minutes} min {age.Seconds} s"),
            { TotalDays: < 1 } => string.Create(CultureInfo.InvariantCulture, $"{age.Hours} h {age.Minutes} min"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{(int)age.TotalDays} d {age.Hours} h"),
        };
    }

    /// <summary>A point in time as UTC, to the second, for tables.</summary>
    public static string Utc(DateTimeOffset at) =>
        at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
