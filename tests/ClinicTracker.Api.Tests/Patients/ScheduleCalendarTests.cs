using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.RegularExpressions;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using Ical.Net;

namespace ClinicTracker.Api.Tests.Patients;

/// <summary>
/// GET /api/v1/patients/{patientId}/schedule.ics (docs/api.md, "Schedule as a calendar"; ADR 0026): the patient's
/// upcoming sessions as RFC 5545 text, read back with Ical.Net and line by line. Each test makes its own site, staff
/// and patient; times are relative to the real clock (the API's TimeProvider is the system's).
/// </summary>
public sealed partial class ScheduleCalendarTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private const string Zone = "America/New_York";

    // A comma, a semicolon and a non-ASCII letter: escaped by RFC 5545 §3.3.11 and folded by octets, not characters.
    private const string Address = "Suite 4; 1200 Boulevard de l'Hôpital-Général, Springfield, Massachusetts 01103, United States";

    [Fact]
    public async Task Calendar_ShowsEachUpcomingSession_AtClinicLocalTime_AcrossTheDaylightSavingChange()
    {
        var clinic = await ClinicAsync();
        var patientId = await clinic.Patient();
        var planId = (await clinic.Plan(patientId))["id"]!.GetValue<Guid>();
        var (change, springForward) = NextUsDaylightSavingChange(DateTimeOffset.UtcNow.AddDays(3));
        var saturday = change.AddDays(-1);
        var monday = change.AddDays(1);
        // 10:00 in New York, worked out by hand: EST is UTC−5 and EDT UTC−4 (US rule: EDT from the second Sunday of
        // March to the first Sunday of November). Spring: Saturday 10:00 EST = 15:00Z, Monday 10:00 EDT = 14:00Z;
        // autumn: Saturday 10:00 EDT = 14:00Z, Monday 10:00 EST = 15:00Z.
        var beforeUtc = Utc(saturday, springForward ? 15 : 14);
        var afterUtc = Utc(monday, springForward ? 14 : 15);
        var before = await clinic.Session(patientId, planId, beforeUtc);
        var after = await clinic.Session(patientId, planId, afterUtc);

        var (_, text) = await GetCalendar(clinic.FrontDesk, patientId);

        var lines = Unfolded(text);
        // The same wall-clock time on both days, with the zone's id; 150 minutes long (ScheduleCalendar.VisitLength).
        Assert.Contains($"DTSTART;TZID={Zone}:{saturday:yyyyMMdd}T100000", lines);
        Assert.Contains($"DTEND;TZID={Zone}:{saturday:yyyyMMdd}T123000", lines);
        Assert.Contains($"DTSTART;TZID={Zone}:{monday:yyyyMMdd}T100000", lines);
        Assert.Contains($"DTEND;TZID={Zone}:{monday:yyyyMMdd}T123000", lines);
        Assert.Contains($"UID:{before}@clinictracker", lines);
        Assert.Contains($"UID:{after}@clinictracker", lines);
        Assert.Contains("SUMMARY:Clinic appointment", lines);
        Assert.Contains("STATUS:CONFIRMED", lines);
        Assert.Contains("SEQUENCE:0", lines);
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^DTSTAMP:\d{8}T\d{6}Z$"));
        // The zone is defined in the file, both of its offsets.
        Assert.Contains($"TZID:{Zone}", lines);
        Assert.Contains("TZOFFSETTO:-0500", lines);
        Assert.Contains("TZOFFSETTO:-0400", lines);

        var calendar = Calendar.Load(text)!;
        var zone = Assert.Single(calendar.TimeZones);
        Assert.Equal(Zone, zone.TzId);
        var events = calendar.Events.OrderBy(e => e.DtStart!.AsUtc).ToList();
        Assert.Equal([$"{before}@clinictracker", $"{after}@clinictracker"], events.Select(e => e.Uid));
        Assert.Equal([beforeUtc.UtcDateTime, afterUtc.UtcDateTime], events.Select(e => e.DtStart!.AsUtc));
        Assert.All(events, e =>
        {
            Assert.Equal(Zone, e.DtStart!.TzId);
            Assert.Equal(10, e.DtStart.Hour);
            Assert.Equal(TimeSpan.FromMinutes(150), e.DtEnd!.AsUtc - e.DtStart.AsUtc);
            Assert.Equal("Clinic appointment", e.Summary);
            Assert.Equal($"{clinic.SiteName}, {Address}", e.Location);
            Assert.Equal("CONFIRMED", e.Status);
            Assert.Equal("PRIVATE", e.Class);
        });
    }

    [Fact]
    public async Task Calendar_IsRfc5545Text_WithCrlfLinesFoldedAt75Octets_AndPrivateHeaders()
    {
        var clinic = await ClinicAsync();
        var patientId = await clinic.Patient();
        var planId = (await clinic.Plan(patientId))["id"]!.GetValue<Guid>();
        await clinic.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(4));

        var (response, text) = await GetCalendar(clinic.FrontDesk, patientId);

        Assert.Equal("text/calendar", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition!.DispositionType);
        Assert.Equal("clinic-appointments.ics", response.Content.Headers.ContentDisposition.FileName?.Trim('"'));
        Assert.Equal("no-store", response.Headers.CacheControl!.ToString());

        Assert.StartsWith("BEGIN:VCALENDAR\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith("END:VCALENDAR\r\n", text, StringComparison.Ordinal);
        // Every line ends in CRLF: no bare LF or CR anywhere (RFC 5545 §3.1).
        Assert.DoesNotMatch(@"[^\r]\n|\r[^\n]", text);
        var physical = text[..^2].Split("\r\n");
        Assert.All(physical, l => Assert.True(Encoding.UTF8.GetByteCount(l) <= 75, $"{Encoding.UTF8.GetByteCount(l)} octets: {l}"));
        // The long address was folded: a continuation line starts with one space.
        Assert.Contains(physical, l => l.StartsWith(' '));
        var lines = Unfolded(text);
        Assert.Contains("VERSION:2.0", lines);
        Assert.Contains("PRODID:-//ClinicTracker//Patient schedule//EN", lines);
        Assert.Contains("METHOD:PUBLISH", lines);
        Assert.Contains(@"LOCATION:" + clinic.SiteName + @"\, Suite 4\; 1200 Boulevard de l'Hôpital-Général\, Springfield\, Massachusetts 01103\, United States", lines);
        Assert.Equal(1, lines.Count(l => l == "BEGIN:VEVENT"));
    }

    [Fact]
    public async Task Calendar_LeavesOutPastAndCompletedSessions_AndKeepsCancelledOnesAsCancelled()
    {
        var clinic = await ClinicAsync();
        var patientId = await clinic.Patient();
        var planId = (await clinic.Plan(patientId))["id"]!.GetValue<Guid>();
        var now = DateTimeOffset.UtcNow;
        // Never closed, but three days ago: over.
        var past = await clinic.Session(patientId, planId, now.AddDays(-3));
        // Booked an hour ago, so its 150 minutes are not over by the schedule, but it is completed.
        var completed = await clinic.Session(patientId, planId, now.AddHours(-1));
        await clinic.CheckIn(completed);
        await clinic.Dose(clinic.Nurse, completed, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);
        await clinic.CompleteWithMonitoring(completed);
        // Booked an hour ago and not yet closed: under way, still on the calendar.
        var underWay = await clinic.Session(patientId, planId, now.AddHours(-1));
        var cancelled = await clinic.Session(patientId, planId, now.AddDays(2));
        await clinic.FrontDesk.PostAsJsonAsync($"/api/v1/sessions/{cancelled}/cancel", new { cancelledBy = "patient", reason = "Travelling" })
            .EnsureStatus(HttpStatusCode.OK);
        var upcoming = await clinic.Session(patientId, planId, now.AddDays(5));

        var (_, text) = await GetCalendar(clinic.Nurse, patientId);

        var events = Calendar.Load(text)!.Events.ToDictionary(e => e.Uid!);
        Assert.Equal(
            new[] { underWay, cancelled, upcoming }.Select(id => $"{id}@clinictracker").Order(),
            events.Keys.Order());
        Assert.DoesNotContain(past.ToString(), text, StringComparison.Ordinal);
        Assert.DoesNotContain(completed.ToString(), text, StringComparison.Ordinal);
        Assert.Equal("CONFIRMED", events[$"{underWay}@clinictracker"].Status);
        Assert.Equal("CONFIRMED", events[$"{upcoming}@clinictracker"].Status);
        // Cancelled: still in the feed, so a subscribed calendar removes it; the cancellation raised its SEQUENCE.
        Assert.Equal("CANCELLED", events[$"{cancelled}@clinictracker"].Status);
        Assert.Equal(1, events[$"{cancelled}@clinictracker"].Sequence);
        Assert.Equal(0, events[$"{upcoming}@clinictracker"].Sequence);
    }

    [Fact]
    public async Task Calendar_OfAnArchivedPatient_ShowsTheSessionsLeftAsCancelled()
    {
        var clinic = await ClinicAsync();
        var patientId = await clinic.Patient();
        var planId = (await clinic.Plan(patientId))["id"]!.GetValue<Guid>();
        var session = await clinic.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(3));
        Assert.Equal("CONFIRMED", Calendar.Load((await GetCalendar(clinic.FrontDesk, patientId)).Text)!.Events.Single().Status);

        await clinic.FrontDesk.PostAsync($"/api/v1/patients/{patientId}/archive", null).EnsureStatus(HttpStatusCode.OK);

        // domain.md §4: an archived patient takes no check-in, so the session cannot take place; the record still says
        // scheduled, the calendar says cancelled, one SEQUENCE later.
        var archived = Calendar.Load((await GetCalendar(clinic.FrontDesk, patientId)).Text)!.Events.Single();
        Assert.Equal($"{session}@clinictracker", archived.Uid);
        Assert.Equal("CANCELLED", archived.Status);
        Assert.Equal(1, archived.Sequence);
    }

    [Fact]
    public async Task Calendar_SaysNothingClinical_AndNotWhoThePatientIs()
    {
        var clinic = await ClinicAsync();
        var mrn = Http.Unique("CAL");
        var patientId = (await PatientData.Register(clinic.FrontDesk,
            PatientData.NewPatient(mrn: mrn, given: "Philippa", family: "Quennell-Ashdown", dateOfBirth: "1971-04-23")))["id"]!.GetValue<Guid>();
        var esketamine = (await clinic.Plan(patientId, "esketamine", "intranasal"))["id"]!.GetValue<Guid>();
        var ketamine = (await clinic.Plan(patientId))["id"]!.GetValue<Guid>();
        await clinic.Session(patientId, esketamine, DateTimeOffset.UtcNow.AddDays(2));
        await clinic.Session(patientId, ketamine, DateTimeOffset.UtcNow.AddDays(3));

        var (_, text) = await GetCalendar(clinic.Prescriber, patientId);

        Assert.Equal(2, Calendar.Load(text)!.Events.Count);
        string[] clinical =
        [
            "ketamine", "spravato", "intranasal", "intravenous", "infusion", " mg", "56mg", "mg/kg", "dose", "plan", "induction",
            "esketamine-standard", "iv-induction", "depression", "diagnosis", "Philippa", "Quennell", "Ashdown", mrn, "1971-04-23", "19710423", patientId.ToString(),
        ];
        Assert.All(clinical, word => Assert.DoesNotContain(word, text, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task Calendar_IsForTheFrontDeskNursesAndPrescribers_NotIntegratorsOrAdmins()
    {
        var clinic = await ClinicAsync();
        var patientId = await clinic.Patient();
        var path = $"/api/v1/patients/{patientId}/schedule.ics";

        foreach (var client in new[] { clinic.FrontDesk, clinic.Nurse, clinic.Prescriber })
        {
            await client.GetAsync(path).EnsureStatus(HttpStatusCode.OK);
        }

        // The decision of docs/api.md: a system client reads the sessions as JSON; admins read no patient record.
        await (await clinic.Integrator.GetAsync(path)).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await clinic.Admin.GetAsync(path)).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task Calendar_OfAnotherSitesPatient_OrOfNoPatient_Is404()
    {
        var clinic = await ClinicAsync();
        var patientId = await clinic.Patient();
        var planId = (await clinic.Plan(patientId))["id"]!.GetValue<Guid>();
        await clinic.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(2));
        var elsewhere = await ClinicAsync();
        // Its own site's front desk gets it: the 404s below are the site filter, not a missing route.
        await GetCalendar(clinic.FrontDesk, patientId);

        await (await elsewhere.FrontDesk.GetAsync($"/api/v1/patients/{patientId}/schedule.ics")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        await (await clinic.FrontDesk.GetAsync($"/api/v1/patients/{Guid.NewGuid()}/schedule.ics")).AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Document_DeclaresTheCalendar_AsTextCalendarString_AndItsProblems()
    {
        // The response contract check reads JSON bodies only; this one is checked here.
        var document = await OpenApi.ServedDocument.LoadAsync(factory.CreateClient());
        var operation = document["paths"]!["/api/v1/patients/{patientId}/schedule.ics"]!["get"]!;

        var ok = operation["responses"]!["200"]!;
        Assert.Equal("string", ok["content"]!["text/calendar"]!["schema"]!["type"]!.GetValue<string>());
        Assert.Single(ok["content"]!.AsObject());
        Assert.Contains("text/calendar", ok["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(operation["responses"]!["404"]!["content"]!["application/problem+json"]);
        Assert.Contains("STATUS:CANCELLED", operation["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("GetScheduleCalendar", operation["operationId"]!.GetValue<string>());
    }

    /// <summary>
    /// The event's state, by hand: a session is version 1 when scheduled and each change adds one (check-in 2, first
    /// dose 3; a cancellation of a scheduled session 2). Only a scheduled session of an active plan and a patient not
    /// archived, or one under way, is confirmed; a scheduled one that can no longer be checked in is cancelled one
    /// SEQUENCE above its version − 1.
    /// </summary>
    [Theory]
    [InlineData(SessionStatus.Scheduled, 1, false, PlanStatus.Active, false, 0)]
    [InlineData(SessionStatus.CheckedIn, 2, false, PlanStatus.Active, false, 1)]
    [InlineData(SessionStatus.InProgress, 3, false, PlanStatus.Discontinued, false, 2)] // an open session may be finished
    [InlineData(SessionStatus.Cancelled, 2, false, PlanStatus.Active, true, 1)]
    [InlineData(SessionStatus.NoShow, 2, false, PlanStatus.Active, true, 1)]
    [InlineData(SessionStatus.Held, 3, false, PlanStatus.Active, true, 2)]
    [InlineData(SessionStatus.Scheduled, 1, true, PlanStatus.Active, true, 1)] // archived patient: 0 + 1
    [InlineData(SessionStatus.Scheduled, 1, false, PlanStatus.Completed, true, 1)] // completed plan: 0 + 1
    [InlineData(SessionStatus.Cancelled, 2, false, PlanStatus.Completed, true, 1)] // cancelled after that: 2 − 1, not lower
    public void EventState_IsCancelledForWhatWillNotTakePlace_AndItsSequenceNeverFalls(
        SessionStatus status, int version, bool archived, PlanStatus plan, bool cancelled, int sequence) =>
        Assert.Equal((cancelled, sequence), ClinicTracker.Api.Patients.ScheduleCalendar.EventStateOf(status, version, archived, plan));

    /// <summary>The next US daylight-saving change (a Sunday) on or after <paramref name="from"/>, and whether clocks go forward.</summary>
    private static (DateOnly Sunday, bool SpringForward) NextUsDaylightSavingChange(DateTimeOffset from)
    {
        var day = DateOnly.FromDateTime(from.UtcDateTime);
        for (var year = day.Year; ; year++)
        {
            // Second Sunday of March, first Sunday of November (Energy Policy Act of 2005).
            var march = NthSunday(year, 3, 2);
            var november = NthSunday(year, 11, 1);
            if (march >= day)
            {
                return (march, true);
            }

            if (november >= day)
            {
                return (november, false);
            }
        }
    }

    private static DateOnly NthSunday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        return first.AddDays((7 - (int)first.DayOfWeek) % 7 + 7 * (n - 1));
    }

    private static DateTimeOffset Utc(DateOnly date, int hour) => new(date.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);

    /// <summary>Content lines with folding undone (RFC 5545 §3.1: CRLF followed by one space or tab).</summary>
    private static List<string> Unfolded(string text) =>
        [.. FoldPattern().Replace(text, "").Split("\r\n", StringSplitOptions.RemoveEmptyEntries)];

    private static async Task<(HttpResponseMessage Response, string Text)> GetCalendar(HttpClient client, Guid patientId)
    {
        var response = await client.GetAsync($"/api/v1/patients/{patientId}/schedule.ics").EnsureStatus(HttpStatusCode.OK);
        return (response, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }

    /// <summary>A new site in New York with an address, and its own staff, so no test sees another's rows.</summary>
    private async Task<Clinic> ClinicAsync()
    {
        var admin = factory.ClientFor(Http.Unique("cal.admin"), "admin");
        var name = Http.Unique("Harbour");
        var site = (await (await admin.PostAsJsonAsync("/api/v1/sites", new { name, timeZone = Zone, address = Address, active = true })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject())["id"]!.GetValue<Guid>();
        HttpClient At(string role) => factory.ClientAt(Http.Unique($"cal.{role}"), role, site);
        return new Clinic(At("front-desk"), At("nurse"), At("prescriber"), At("integrator"), admin, name);
    }

    private sealed class Clinic(HttpClient frontDesk, HttpClient nurse, HttpClient prescriber, HttpClient integrator, HttpClient admin, string siteName)
    {
        private readonly TreatmentData data = new(frontDesk, nurse, prescriber);

        public HttpClient FrontDesk => data.FrontDesk;

        public HttpClient Nurse => data.Nurse;

        public HttpClient Prescriber => data.Prescriber;

        public HttpClient Integrator { get; } = integrator;

        public HttpClient Admin { get; } = admin;

        public string SiteName { get; } = siteName;

        public Task<Guid> Patient() => data.Patient();

        public Task<System.Text.Json.Nodes.JsonObject> Plan(Guid patientId, string medication = "ketamine", string route = "intravenous") =>
            data.Plan(patientId, medication, route);

        public Task<Guid> Session(Guid patientId, Guid planId, DateTimeOffset at) => data.Session(patientId, planId, at);

        public Task CheckIn(Guid sessionId) => data.CheckIn(sessionId);

        public Task<HttpResponseMessage> Dose(HttpClient client, Guid sessionId, object dose) => data.Dose(client, sessionId, dose);

        public Task<System.Text.Json.Nodes.JsonObject> CompleteWithMonitoring(Guid sessionId) => data.CompleteWithMonitoring(sessionId);
    }

    [GeneratedRegex("\r\n[ \t]")]
    private static partial Regex FoldPattern();
}
