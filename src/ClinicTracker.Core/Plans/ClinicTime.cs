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

    /// <summary>Today's date in the clinic's zone.</summary>
    public static DateOnly Today(TimeProvider clock, string timeZone) => LocalDate(clock.GetUtcNow().UtcDateTime, timeZone);
}
