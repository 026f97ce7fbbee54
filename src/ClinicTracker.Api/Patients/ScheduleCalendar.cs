using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using Ical.Net;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace ClinicTracker.Api.Patients;

/// <summary>
/// One upcoming visit as the calendar shows it: when and where, whether it still takes place, and the facts that
/// version it. Deliberately nothing clinical (no medication, route, dose, plan or diagnosis) and no name: the file
/// may be forwarded or shown on a phone's lock screen (ADR 0026).
/// </summary>
/// <param name="SessionId">The session; the event's UID is made from it, so every download names the same event.</param>
/// <param name="StartUtc">The scheduled time.</param>
/// <param name="TimeZone">The clinic's IANA zone the times are shown in.</param>
/// <param name="Cancelled">The visit will not take place (cancelled, no-show, held, or it can no longer be checked in).</param>
/// <param name="Sequence">RFC 5545 SEQUENCE: grows with every change of the session.</param>
/// <param name="SiteName">Where: the site's name.</param>
/// <param name="SiteAddress">Where: the site's address, when it has one.</param>
public sealed record CalendarVisit(
    Guid SessionId, DateTime StartUtc, string TimeZone, bool Cancelled, int Sequence, string SiteName, string? SiteAddress);

/// <summary>Writes a patient's upcoming visits as an iCalendar object (RFC 5545) with Ical.Net.</summary>
public static class ScheduleCalendar
{
    public const string MediaType = "text/calendar";

    public const string Summary = "Clinic appointment";

    public const string Name = "Clinic appointments";

    public const string ProductId = "-//ClinicTracker//Patient schedule//EN";

    /// <summary>
    /// How long each event lasts: 30 minutes for check-in and the pre-dose blood pressure (domain.md §4: a reading
    /// within 60 minutes before the first dose), then the observation after dosing, which domain.md §4 sets at
    /// 2 hours for esketamine (Spravato REMS; <c>Monitoring:EsketamineObservationMinutes</c>). The same length for
    /// every route: an IV session is shorter, but an event whose length gave away the medication would be a
    /// clinical detail on the lock screen.
    /// </summary>
    public static TimeSpan VisitLength(int observationMinutes) => TimeSpan.FromMinutes(CheckInMinutes + observationMinutes);

    private const int CheckInMinutes = 30;

    /// <summary>
    /// Whether a session's event is cancelled, and its RFC 5545 SEQUENCE (§3.8.7.4). Cancelled, no-show and held
    /// sessions will not take place; nor will a scheduled one whose patient is archived or whose plan is not active,
    /// since neither can be checked in (domain.md §4), although the record still says scheduled. SEQUENCE is the
    /// session's version − 1 (version 1 at scheduling, raised by every change of the session), plus one when the
    /// event turned cancelled without a change of the session, so it never falls: cancelling such a session later
    /// raises the version by the one already counted. A session's time never changes (rescheduling is cancelling and
    /// scheduling anew, under a new UID), so no count of reschedules is needed.
    /// </summary>
    public static (bool Cancelled, int Sequence) EventStateOf(SessionStatus status, int version, bool patientArchived, PlanStatus planStatus)
    {
        var cannotCheckIn = status == SessionStatus.Scheduled && (patientArchived || planStatus != PlanStatus.Active);
        var cancelled = cannotCheckIn || status is SessionStatus.Cancelled or SessionStatus.NoShow or SessionStatus.Held;
        return (cancelled, version - 1 + (cannotCheckIn ? 1 : 0));
    }

    /// <summary>The calendar text: CRLF line endings and lines folded at 75 octets, as Ical.Net serializes them.</summary>
    public static string Write(IReadOnlyList<CalendarVisit> visits, TimeSpan length, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(visits);
        // METHOD:PUBLISH is what a published (subscribed or imported) calendar carries; with it DTSTAMP is the time the
        // object was made (RFC 5545 §3.8.7.2), i.e. this response.
        var calendar = new Calendar { ProductId = ProductId, Method = "PUBLISH" };
        // RFC 7986 NAME and REFRESH-INTERVAL, with the older X-WR-CALNAME and X-PUBLISHED-TTL that many apps still read.
        calendar.AddProperty("NAME", Name);
        calendar.AddProperty("X-WR-CALNAME", Name);
        var refresh = new CalendarProperty("REFRESH-INTERVAL", "PT1H");
        refresh.Parameters.Add("VALUE", "DURATION");
        calendar.AddProperty(refresh);
        calendar.AddProperty("X-PUBLISHED-TTL", "PT1H");

        // One VTIMEZONE per zone the events use, its rules from the earliest event on (RFC 5545 §3.6.5: TZID must resolve).
        foreach (var zone in visits.GroupBy(v => v.TimeZone, StringComparer.Ordinal))
        {
            calendar.AddTimeZone(VTimeZone.FromDateTimeZone(zone.Key, zone.Min(v => v.StartUtc), includeHistoricalData: false));
        }

        var stamp = new CalDateTime(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), CalDateTime.UtcTzId);
        foreach (var visit in visits)
        {
            var start = new CalDateTime(DateTime.SpecifyKind(visit.StartUtc, DateTimeKind.Utc), CalDateTime.UtcTzId).ToTimeZone(visit.TimeZone);
            calendar.Events.Add(new CalendarEvent
            {
                Uid = $"{visit.SessionId}@clinictracker",
                DtStamp = stamp,
                DtStart = start,
                DtEnd = start.Add(Duration.FromTimeSpanExact(length)),
                Sequence = visit.Sequence,
                Summary = Summary,
                Location = visit.SiteAddress is null ? visit.SiteName : $"{visit.SiteName}, {visit.SiteAddress}",
                // A subscribed calendar drops a cancelled event only when the feed says so (RFC 5545 §3.8.1.11).
                Status = visit.Cancelled ? EventStatus.Cancelled : EventStatus.Confirmed,
                // Shared and delegated calendars show a private event as busy time only.
                Class = "PRIVATE",
                Transparency = visit.Cancelled ? TransparencyType.Transparent : TransparencyType.Opaque,
            });
        }

        return new CalendarSerializer().SerializeToString(calendar)
            ?? throw new InvalidOperationException("Ical.Net wrote no calendar.");
    }
}
