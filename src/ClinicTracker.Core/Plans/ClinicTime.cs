namespace ClinicTracker.Core.Plans;

/// <summary>Clinic-local dates: the clock of a plan is its clinic's IANA time zone, never the server's.</summary>
public static class ClinicTime
{
    public static bool IsKnownZone(string? timeZone) =>
        !string.IsNullOrWhiteSpace(timeZone) && TimeZoneInfo.TryFindSystemTimeZoneById(timeZone, out var zone) &&
        zone.HasIanaId;

    public static DateOnly LocalDate(DateTime utc, string timeZone) => LocalDate(utc, TimeZoneInfo.FindSystemTimeZoneById(timeZone));

    /// <summary>The calendar date of an instant in an already resolved zone (bulk conversions look the zone up once).</summary>
    public static DateOnly LocalDate(DateTime utc, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone));

    /// <summary>
    /// The first instant (UTC) at which the clinic's date is <paramref name="date"/>. Midnight itself where it
    /// exists once; where a daylight-saving change skips midnight, the first minute after the gap; where it
    /// repeats midnight, its first occurrence.
    /// </summary>
    public static DateTime StartOfDayUtc(DateOnly date, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        // An ambiguous local time has two offsets; the larger one is the earlier instant.
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return DateTime.SpecifyKind(local - offset, DateTimeKind.Utc);
    }

    /// <summary>Today's date in the clinic's zone.</summary>
    public static DateOnly Today(TimeProvider clock, string timeZone) => LocalDate(clock.GetUtcNow().UtcDateTime, timeZone);
}

/// <summary>IANA zones resolved once each: a clinic group has few zones, a report or a refresh batch converts thousands of dates.</summary>
public sealed class ZoneCache
{
    private readonly Dictionary<string, TimeZoneInfo> zones = new(StringComparer.Ordinal);

    public TimeZoneInfo this[string timeZone]
    {
        get
        {
            if (!zones.TryGetValue(timeZone, out var zone))
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone);
                zones.Add(timeZone, zone);
            }

            return zone;
        }
    }
}
