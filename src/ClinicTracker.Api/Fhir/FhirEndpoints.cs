using System.Reflection;
using ClinicTracker.Api.Auditing;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Fhir.Export;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Fhir;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Fhir;

/// <summary>
/// The read-only FHIR R4 endpoint (domain.md §11; docs/fhir.md): the CapabilityStatement, reads by id, searches,
/// <c>$everything</c> and bulk export. Every route runs inside record keeping like the rest of the API, so each read
/// is audited with the patient it showed; records are visible only at the caller's sites (404 elsewhere). It is
/// described by its CapabilityStatement, not by the OpenAPI document of the v1 JSON API.
/// </summary>
public static class FhirEndpoints
{
    private static readonly string SoftwareVersion =
        typeof(FhirEndpoints).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    public static RouteGroupBuilder MapFhir(this IEndpointRouteBuilder app)
    {
        var fhir = app.MapGroup(FhirResults.Prefix).WithTags("FHIR").ExcludeFromDescription();
        // Clients discover the server before they hold a token (FHIR RESTful API: capabilities).
        fhir.MapGet("/metadata", Metadata).WithName("FhirMetadata").AllowAnonymous();

        var records = fhir.MapGroup("").RequireAuthorization(Policies.ClinicalReader);
        records.MapGet("/Patient/{patientId:guid}", ReadPatient).WithName("FhirReadPatient");
        records.MapGet("/Encounter/{sessionId:guid}", ReadEncounter).WithName("FhirReadEncounter");
        records.MapGet("/MedicationAdministration/{doseId:guid}", ReadMedicationAdministration).WithName("FhirReadMedicationAdministration");
        records.MapGet("/Observation/{observationId:guid}", ReadObservation).WithName("FhirReadObservation");
        records.MapGet("/QuestionnaireResponse/{assessmentId:guid}", ReadQuestionnaireResponse).WithName("FhirReadQuestionnaireResponse");
        records.MapGet("/CarePlan/{planId:guid}", ReadCarePlan).WithName("FhirReadCarePlan");
        records.MapGet("/AdverseEvent/{adverseEventId:guid}", ReadAdverseEvent).WithName("FhirReadAdverseEvent");
        records.MapGet("/Patient/{patientId:guid}/$everything", Everything).WithName("FhirPatientEverything");
        records.MapFhirSearches();
        records.MapFhirExport();
        return fhir;
    }

    private static FhirResult Metadata(HttpRequest request) =>
        FhirResults.Resource(FhirCapabilities.Statement(FhirResults.BaseUrl(request), SoftwareVersion, Published));

    /// <summary>When this build's statement was published: the build's own time (the process's start in a single-file build).</summary>
    private static readonly DateTimeOffset Published = typeof(FhirEndpoints).Assembly.Location is { Length: > 0 } location
        ? new DateTimeOffset(File.GetLastWriteTimeUtc(location), TimeSpan.Zero)
        : DateTimeOffset.UtcNow;

    private static async Task<FhirResult> ReadPatient(Guid patientId, ClinicDbContext db, FhirMapper mapper, HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return FhirResults.NotFound("Patient", patientId);
        }

        AuditTrail.NoteRecord(http, patient.Id, patient.HomeSiteId);
        return FhirResults.Resource(mapper.ToPatient(patient));
    }

    private static async Task<FhirResult> ReadEncounter(Guid sessionId, ClinicDbContext db, FhirMapper mapper, HttpContext http, CancellationToken ct)
    {
        var found = await db.Sessions.AsNoTracking().Where(s => s.Id == sessionId)
            .Join(db.Patients, s => s.PatientId, p => p.Id, (s, p) => new { Session = s, p.Diagnosis }).FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return FhirResults.NotFound("Encounter", sessionId);
        }

        AuditTrail.NoteRecord(http, found.Session.PatientId, found.Session.SiteId);
        return FhirResults.Resource(mapper.ToEncounter(found.Session, found.Diagnosis));
    }

    private static async Task<FhirResult> ReadMedicationAdministration(Guid doseId, ClinicDbContext db, FhirMapper mapper, HttpContext http, CancellationToken ct)
    {
        var found = await db.Doses.AsNoTracking().Where(d => d.Id == doseId)
            .Join(db.Sessions, d => d.SessionId, s => s.Id, (d, s) => new { Dose = d, s.SiteId }).FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return FhirResults.NotFound("MedicationAdministration", doseId);
        }

        AuditTrail.NoteRecord(http, found.Dose.PatientId, found.SiteId);
        return FhirResults.Resource(mapper.ToMedicationAdministration(found.Dose));
    }

    /// <summary>An Observation is a monitoring observation or an assessment (their ids never collide: both are version-7 GUIDs).</summary>
    private static async Task<FhirResult> ReadObservation(Guid observationId, ClinicDbContext db, FhirMapper mapper, HttpContext http, CancellationToken ct)
    {
        var observation = await db.Observations.AsNoTracking().Where(o => o.Id == observationId)
            .Join(db.Sessions, o => o.SessionId, s => s.Id, (o, s) => new { Observation = o, s.SiteId }).FirstOrDefaultAsync(ct);
        if (observation is not null)
        {
            AuditTrail.NoteRecord(http, observation.Observation.PatientId, observation.SiteId);
            return FhirResults.Resource(mapper.ToObservation(observation.Observation));
        }

        var assessment = await AssessmentAsync(db, observationId, ct);
        if (assessment is null)
        {
            return FhirResults.NotFound("Observation", observationId);
        }

        AuditTrail.NoteRecord(http, assessment.Assessment.PatientId, assessment.HomeSiteId);
        return FhirResults.Resource(mapper.ToObservation(assessment.Assessment));
    }

    private static async Task<FhirResult> ReadQuestionnaireResponse(Guid assessmentId, ClinicDbContext db, FhirMapper mapper, HttpContext http, CancellationToken ct)
    {
        var found = await AssessmentAsync(db, assessmentId, ct);
        if (found is null)
        {
            return FhirResults.NotFound("QuestionnaireResponse", assessmentId);
        }

        AuditTrail.NoteRecord(http, found.Assessment.PatientId, found.HomeSiteId);
        return FhirResults.Resource(mapper.ToQuestionnaireResponse(found.Assessment));
    }

    private static async Task<FhirResult> ReadCarePlan(Guid planId, ClinicDbContext db, FhirMapper mapper, HttpContext http, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return FhirResults.NotFound("CarePlan", planId);
        }

        AuditTrail.NoteRecord(http, plan.PatientId, plan.SiteId);
        return FhirResults.Resource(mapper.ToCarePlan(plan));
    }

    private static async Task<FhirResult> ReadAdverseEvent(Guid adverseEventId, ClinicDbContext db, FhirMapper mapper, HttpContext http, CancellationToken ct)
    {
        var found = await db.AdverseEvents.AsNoTracking().Where(a => a.Id == adverseEventId)
            .Join(db.Sessions, a => a.SessionId, s => s.Id, (a, s) => new { Event = a, s.SiteId }).FirstOrDefaultAsync(ct);
        if (found is null)
        {
            return FhirResults.NotFound("AdverseEvent", adverseEventId);
        }

        var suspects = await db.Doses.AsNoTracking().Where(d => d.SessionId == found.Event.SessionId && d.Status == DoseStatus.Completed)
            .OrderBy(d => d.AdministeredAt).ThenBy(d => d.Id).Select(d => d.Id).ToListAsync(ct);
        AuditTrail.NoteRecord(http, found.Event.PatientId, found.SiteId);
        return FhirResults.Resource(mapper.ToAdverseEvent(found.Event, suspects));
    }

    /// <summary>
    /// <c>Patient/{id}/$everything</c>: the whole record in one searchset Bundle, optionally only some types
    /// (<c>_type</c>) or what changed since an instant (<c>_since</c>). Not paged: a record too large for one
    /// response is what bulk export is for.
    /// </summary>
    private static async Task<FhirResult> Everything(Guid patientId, ClinicDbContext db, FhirMapper mapper, HttpContext http, TimeProvider clock, CancellationToken ct)
    {
        if (FhirQuery.Unsupported(http.Request, ["_type", "_since", "_format"]) is { } invalid)
        {
            return invalid;
        }

        var (types, typesProblem) = FhirQuery.Types(http.Request.Query["_type"]);
        var (since, sinceProblem) = FhirQuery.Instant(http.Request.Query["_since"], "_since");
        if ((typesProblem ?? sinceProblem) is { } problem)
        {
            return problem;
        }

        var record = (await PatientRecord.LoadAsync(db, [patientId], ct)).SingleOrDefault();
        if (record is null)
        {
            return FhirResults.NotFound("Patient", patientId);
        }

        AuditTrail.NoteRecord(http, record.Patient.Id, record.Patient.HomeSiteId);
        var baseUrl = FhirResults.BaseUrl(http.Request);
        return FhirResults.Resource(FhirBundles.SearchSet(baseUrl, mapper.ToResources(record, types, since),
            FhirQuery.SelfUrl(http.Request), nextUrl: null, clock.GetUtcNow()));
    }

    private sealed record AssessmentAt(Core.Outcomes.Assessment Assessment, Guid HomeSiteId);

    private static Task<AssessmentAt?> AssessmentAsync(ClinicDbContext db, Guid id, CancellationToken ct) =>
        db.Assessments.AsNoTracking().Where(a => a.Id == id)
            .Join(db.Patients, a => a.PatientId, p => p.Id, (a, p) => new AssessmentAt(a, p.HomeSiteId)).FirstOrDefaultAsync(ct);
}
