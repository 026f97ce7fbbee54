using ClinicTracker.Api.Auditing;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;
using ClinicTracker.Fhir;
using Hl7.Fhir.Model;
using Microsoft.EntityFrameworkCore;
using CorePatient = ClinicTracker.Core.Patients.Patient;

namespace ClinicTracker.Api.Fhir;

/// <summary>
/// The searches integrators use first (docs/fhir.md): a patient by MRN, and one patient's encounters, administrations
/// and observations, each a searchset Bundle paged by keyset (time, then id) with a <c>next</c> link. Each search is of
/// one patient, so its audit row names that patient; a patient not visible at the caller's sites matches nothing.
/// </summary>
public static class FhirSearch
{
    public static void MapFhirSearches(this RouteGroupBuilder records)
    {
        records.MapGet("/Patient", SearchPatients).WithName("FhirSearchPatient");
        records.MapGet("/Encounter", SearchEncounters).WithName("FhirSearchEncounter");
        records.MapGet("/MedicationAdministration", SearchMedicationAdministrations).WithName("FhirSearchMedicationAdministration");
        records.MapGet("/Observation", SearchObservations).WithName("FhirSearchObservation");
    }

    private static IEnumerable<string> Allowed(string type) =>
        FhirCapabilities.Searches[type].Select(p => p.Name).Concat(FhirCapabilities.ResultParameters);

    private static async Task<FhirResult> SearchPatients(ClinicDbContext db, FhirMapper mapper, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (FhirQuery.Unsupported(http.Request, Allowed("Patient")) is { } invalid)
        {
            return invalid;
        }

        var identifiers = FhirQuery.Tokens(http.Request.Query["identifier"]);
        if (identifiers.Count == 0)
        {
            return FhirResults.BadRequest("Search patients by identifier (the MRN): Patient?identifier={mrn}. Listing every patient is what bulk export is for.");
        }

        var mrns = identifiers.Where(i => i.System is null || i.System == mapper.Systems.Mrn).Select(i => SearchText.Normalize(i.Code)).ToList();
        var patients = await db.Patients.AsNoTracking().Where(p => mrns.Contains(p.MrnNormalized)).OrderBy(p => p.Id).Take(Paging.MaxLimit).ToListAsync(ct);
        if (patients.Count == 1)
        {
            AuditTrail.NoteRecord(http, patients[0].Id, patients[0].HomeSiteId);
        }

        return Bundle(http, [.. patients.Select(mapper.ToPatient)], next: null, clock);
    }

    private static async Task<FhirResult> SearchEncounters(ClinicDbContext db, FhirMapper mapper, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var (search, problem) = await OfPatientAsync(db, http, "Encounter", "date");
        if (search is null)
        {
            return problem!;
        }

        var query = db.Sessions.AsNoTracking().Where(s => s.PatientId == search.Patient.Id);
        // period.start: check-in, or the booked time while the visit has not begun.
        if (search.Range.From is { } from)
        {
            query = query.Where(s => (s.CheckedInAt ?? s.ScheduledAt) >= from);
        }

        if (search.Range.To is { } to)
        {
            query = query.Where(s => (s.CheckedInAt ?? s.ScheduledAt) < to);
        }

        var sessions = await AfterCursorAsync(query, nameof(TreatmentSession.ScheduledAt), search, ct);
        return Page(http, sessions, search.Count, s => s.ScheduledAt, s => s.Id, s => mapper.ToEncounter(s, search.Patient.Diagnosis), clock);
    }

    private static async Task<FhirResult> SearchMedicationAdministrations(ClinicDbContext db, FhirMapper mapper, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var (search, problem) = await OfPatientAsync(db, http, "MedicationAdministration", "effective-time");
        if (search is null)
        {
            return problem!;
        }

        var statuses = new List<DoseStatus>();
        foreach (var (_, code) in FhirQuery.Tokens(http.Request.Query["status"]))
        {
            if (code is not ("completed" or "entered-in-error"))
            {
                return FhirResults.BadRequest("status must be completed or entered-in-error (comma-separated for either): doses have no other status.");
            }

            statuses.Add(code == "completed" ? DoseStatus.Completed : DoseStatus.EnteredInError);
        }

        var query = db.Doses.AsNoTracking().Where(d => d.PatientId == search.Patient.Id);
        if (statuses.Count > 0)
        {
            query = query.Where(d => statuses.Contains(d.Status));
        }

        var doses = await AfterCursorAsync(Within(query, nameof(DoseEntry.AdministeredAt), search.Range), nameof(DoseEntry.AdministeredAt), search, ct);
        return Page(http, doses, search.Count, d => d.AdministeredAt, d => d.Id, mapper.ToMedicationAdministration, clock);
    }

    /// <summary>
    /// Observations are two tables: monitoring observations and assessments (PHQ-9, MADRS). <c>category</c> and
    /// <c>code</c> pick the kinds and instruments, each table gives its next rows after the cursor, and the page is
    /// their merge in (time, id) order.
    /// </summary>
    private static async Task<FhirResult> SearchObservations(ClinicDbContext db, FhirMapper mapper, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        var (search, problem) = await OfPatientAsync(db, http, "Observation", "date");
        if (search is null)
        {
            return problem!;
        }

        var (kinds, instruments) = ObservationSelection.From(
            FhirQuery.Tokens(http.Request.Query["category"]), FhirQuery.Tokens(http.Request.Query["code"]), mapper.Systems);

        var observations = kinds.Count == 0 ? [] : await AfterCursorAsync(
            Within(db.Observations.AsNoTracking().Where(o => o.PatientId == search.Patient.Id && kinds.Contains(o.Kind)), nameof(Core.Monitoring.Observation.ObservedAt), search.Range),
            nameof(Core.Monitoring.Observation.ObservedAt), search, ct);
        var assessments = instruments.Count == 0 ? [] : await AfterCursorAsync(
            Within(db.Assessments.AsNoTracking().Where(a => a.PatientId == search.Patient.Id && instruments.Contains(a.Instrument)), nameof(Assessment.AssessedAt), search.Range),
            nameof(Assessment.AssessedAt), search, ct);

        var merged = observations.Select(o => (At: o.ObservedAt, o.Id, Resource: (Func<Resource>)(() => mapper.ToObservation(o))))
            .Concat(assessments.Select(a => (At: a.AssessedAt, a.Id, Resource: (Func<Resource>)(() => mapper.ToObservation(a)))))
            .OrderBy(r => r.At).ThenBy(r => r.Id).ToList();
        return Page(http, merged, search.Count, r => r.At, r => r.Id, r => r.Resource(), clock);
    }

    /// <summary>The records whose <paramref name="timeColumn"/> lies in the search's date range.</summary>
    private static IQueryable<T> Within<T>(IQueryable<T> query, string timeColumn, InstantRange range)
        where T : class
    {
        if (range.From is { } from)
        {
            query = query.Where(r => EF.Property<DateTime>(r, timeColumn) >= from);
        }

        if (range.To is { } to)
        {
            query = query.Where(r => EF.Property<DateTime>(r, timeColumn) < to);
        }

        return query;
    }

    /// <summary>The records after the search's keyset position in (<paramref name="timeColumn"/>, id) order: a page and one more, which says a next page exists.</summary>
    private static Task<List<T>> AfterCursorAsync<T>(IQueryable<T> query, string timeColumn, PatientSearch search, CancellationToken ct)
        where T : class, IPatientLinked
    {
        if (search.After is { } after)
        {
            query = query.Where(r => EF.Property<DateTime>(r, timeColumn) > after.At ||
                (EF.Property<DateTime>(r, timeColumn) == after.At && r.Id.CompareTo(after.Id) > 0));
        }

        return query.OrderBy(r => EF.Property<DateTime>(r, timeColumn)).ThenBy(r => r.Id).Take(search.Count + 1).ToListAsync(ct);
    }

    /// <summary>The first <paramref name="count"/> of <paramref name="rows"/> (in keyset order) as a Bundle, with a next link when a row is left over.</summary>
    private static FhirResult Page<T>(
        HttpContext http, IReadOnlyList<T> rows, int count, Func<T, DateTime> at, Func<T, Guid> id, Func<T, Resource> map, TimeProvider clock)
    {
        var page = rows.Take(count).ToList();
        var next = rows.Count > count ? InstantCursor.Encode(at(page[^1]), id(page[^1])) : null;
        return Bundle(http, [.. page.Select(map)], next, clock);
    }

    private sealed record KeysetPosition(DateTime At, Guid Id);

    private sealed record PatientSearch(CorePatient Patient, InstantRange Range, int Count, KeysetPosition? After);

    /// <summary>
    /// What every search of one patient's records shares: only its own parameters, a patient reference, a date
    /// range, _count and _cursor; the patient looked up at the caller's sites (an empty Bundle when not there) and
    /// named in the audit row.
    /// </summary>
    private static async Task<(PatientSearch? Search, FhirResult? Result)> OfPatientAsync(ClinicDbContext db, HttpContext http, string type, string dateParameter)
    {
        var request = http.Request;
        if (FhirQuery.Unsupported(request, Allowed(type)) is { } invalid)
        {
            return (null, invalid);
        }

        var (patientId, patientProblem) = FhirQuery.Patient(request.Query["patient"]);
        var (range, dateProblem) = FhirQuery.Dates(request.Query[dateParameter], dateParameter);
        var (count, countProblem) = FhirQuery.Count(request.Query["_count"]);
        if ((patientProblem ?? dateProblem ?? countProblem) is { } problem)
        {
            return (null, problem);
        }

        KeysetPosition? after = null;
        if (request.Query["_cursor"] is { Count: > 0 } cursor)
        {
            if (cursor.Count > 1 || Paging.TryRead(limit: null, cursor[0], out _, out var position) is not null || position is null ||
                !InstantCursor.TryParse(position, out var at, out var id))
            {
                return (null, FhirResults.BadRequest("_cursor is not one this server issued; follow the Bundle's next link as given."));
            }

            after = new KeysetPosition(at, id);
        }

        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, http.RequestAborted);
        if (patient is null)
        {
            return (null, Bundle(http, [], next: null, http.RequestServices.GetRequiredService<TimeProvider>()));
        }

        AuditTrail.NoteRecord(http, patient.Id, patient.HomeSiteId);
        return (new PatientSearch(patient, range, count, after), null);
    }

    private static FhirResult Bundle(HttpContext http, IReadOnlyList<Resource> matches, string? next, TimeProvider clock) =>
        FhirResults.Resource(FhirBundles.SearchSet(FhirResults.BaseUrl(http.Request), matches, FhirQuery.SelfUrl(http.Request),
            next is null ? null : FhirQuery.NextUrl(http.Request, next), clock.GetUtcNow()));
}

/// <summary>Which monitoring kinds and which instruments an Observation search's <c>category</c> and <c>code</c> select.</summary>
internal static class ObservationSelection
{
    public static (List<ObservationKind> Kinds, List<Instrument> Instruments) From(
        IReadOnlyList<(string? System, string Code)> categories, IReadOnlyList<(string? System, string Code)> codes, FhirSystems systems)
    {
        var kinds = Enum.GetValues<ObservationKind>().ToHashSet();
        var instruments = Enum.GetValues<Instrument>().ToHashSet();
        if (categories.Count > 0)
        {
            var wanted = categories.Where(c => c.System is null or FhirSystems.ObservationCategory).Select(c => c.Code).ToHashSet(StringComparer.Ordinal);
            kinds.RemoveWhere(k => !wanted.Contains(CategoryOf(k)));
            instruments.RemoveWhere(_ => !wanted.Contains(FhirMapper.Survey));
        }

        if (codes.Count > 0)
        {
            var byCode = new HashSet<object>();
            foreach (var (system, code) in codes)
            {
                var loinc = system is null or FhirSystems.Loinc;
                var local = system is null || system == systems.ObservationCodes;
                object? match = code switch
                {
                    FhirCodes.BloodPressurePanel when loinc => ObservationKind.BloodPressure,
                    FhirCodes.HeartRate when loinc => ObservationKind.HeartRate,
                    FhirCodes.OxygenSaturation or FhirCodes.OxygenSaturationByPulseOximetry when loinc => ObservationKind.Spo2,
                    FhirCodes.Phq9Total when loinc => Instrument.Phq9,
                    FhirCodes.CadssCode when local => ObservationKind.Cadss,
                    FhirCodes.MoaasCode when local => ObservationKind.Moaas,
                    "madrs-total" when local => Instrument.Madrs,
                    _ => null,
                };
                if (match is not null)
                {
                    byCode.Add(match);
                }
            }

            kinds.RemoveWhere(k => !byCode.Contains(k));
            instruments.RemoveWhere(i => !byCode.Contains(i));
        }

        return ([.. kinds.Order()], [.. instruments.Order()]);
    }

    private static string CategoryOf(ObservationKind kind) => kind switch
    {
        ObservationKind.Cadss => FhirMapper.Survey,
        ObservationKind.Moaas => FhirMapper.Exam,
        _ => FhirMapper.VitalSigns,
    };
}
