using System.Globalization;

namespace MailMvc.Web.Scheduling;

/// <summary>The "Send at" field of the sending forms: a wall-clock time as the person typed it (a
/// <c>datetime-local</c> input) in the time zone their browser reported, turned into the instant the outbox waits for.</summary>
public static class SendAtTime
{
    /// <summary>The zone the form's time is read in: the browser's IANA zone (<c>Europe/Berlin</c>), or UTC without one.</summary>
    /// <returns>False when the name is not a time zone this server knows.</returns>
    public static bool TryGetZone(string? zoneId, out TimeZoneInfo zone)
    {
        if (string.IsNullOrWhiteSpace(zoneId))
        {
            zone = TimeZoneInfo.Utc;
            return true;
        }

        return TimeZoneInfo.TryFindSystemTimeZoneById(zoneId, out zone!);
    }

    /// <summary>The zone's name as the page shows it.</summary>
    public static string ZoneName(string? zoneId) => string.IsNullOrWhiteSpace(zoneId) ? "UTC" : zoneId;

    /// <summary>What is wrong with the time, as a sentence beside the field; null when it can be used (or is empty).</summary>
    public static string? Problem(DateTime? local, string? zoneId, DateTimeOffset now)
    {
        if (local is not { } time)
        {
            return null;
        }

        if (!TryGetZone(zoneId, out var zone))
        {
            return $"'{zoneId}' is not a time zone this server knows; reload the page and choose the time again.";
        }

        if (zone.IsInvalidTime(DateTime.SpecifyKind(time, DateTimeKind.Unspecified)))
        {
            return $"{time.ToString("HH:mm", CultureInfo.InvariantCulture)} does not exist on that day in {ZoneName(zoneId)} (the clocks go forward); choose another time.";
        }

        var at = Resolve(time, zone);
        if (at <= now)
        {
            return $"Choose a time in the future (it is {Describe(now, zoneId)} now), or leave Send at empty to send now.";
        }

        return at > now.AddYears(1) ? "Choose a time within a year from now." : null;
    }

    /// <summary>The instant <paramref name="local"/> means in the zone; null when no time was given or the zone is unknown.</summary>
    public static DateTimeOffset? Resolve(DateTime? local, string? zoneId) =>
        local is { } time && TryGetZone(zoneId, out var zone) ? Resolve(time, zone) : null;

    /// <summary>An instant as the person reads it in their zone: "Tue 1 Dec 2026, 19:30 (Asia/Tokyo)".</summary>
    public static string Describe(DateTimeOffset at, string? zoneId)
    {
        var zone = TryGetZone(zoneId, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(at, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{local:ddd d MMM yyyy, HH:mm} ({ZoneName(zoneId)})");
    }

    private static DateTimeOffset Resolve(DateTime local, TimeZoneInfo zone)
    {
        var unspecified = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        return new DateTimeOffset(unspecified, zone.GetUtcOffset(unspecified));
    }
}
