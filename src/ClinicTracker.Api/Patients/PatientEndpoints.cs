using System.Security.Claims;
using ClinicTracker.Api.Auditing;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sites;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Patients;
using ClinicTracker.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Patients;

public static class PatientEndpoints
{
    public static RouteGroupBuilder MapPatients(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/v1").WithTags("Patients");
        group.MapPost("/patients", RegisterPatient).WithName(nameof(RegisterPatient))
            .WithSummary("Register a patient.").RequireAuthorization(Policies.PatientWriter)
            // A retried registration whose answer was lost gets its 201, not a 409 about its own MRN (api.md).
            .Idempotent().Validate<RegisterPatientRequest>().ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, "patient.duplicate-mrn", "site.inactive")
            .ProducesProblems(StatusCodes.Status403Forbidden, "site.not-assigned");
        group.MapGet("/patients", SearchPatients).WithName(nameof(SearchPatients))
            .WithSummary("Find patients by MRN or name, ordered by family name, given name, id.")
            .RequireAuthorization(Policies.DemographicsReader).ProducesValidationProblem();
        group.MapGet("/patients/{id:guid}", GetPatient).WithName(nameof(GetPatient))
            .WithSummary("Read a patient; send its ETag in If-Match to update it, or in If-None-Match to get a 304 while it is unchanged.")
            .RequireAuthorization(Policies.DemographicsReader).Produces(StatusCodes.Status304NotModified)
            .ProducesProblem(StatusCodes.Status404NotFound);
        group.MapPut("/patients/{id:guid}", UpdatePatient).WithName(nameof(UpdatePatient))
            .WithSummary("Replace a patient's demographics (If-Match required).")
            .RequireAuthorization(Policies.PatientWriter).Validate<PatientRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "patient.archived", "patient.duplicate-mrn")
            .ProducesProblems(StatusCodes.Status412PreconditionFailed, "precondition.failed").ProducesProblems(StatusCodes.Status428PreconditionRequired, "precondition.required");
        group.MapPost("/patients/{id:guid}/archive", ArchivePatient).WithName(nameof(ArchivePatient))
            .WithSummary("Archive a patient: the record is kept and stays readable, but takes no new data.")
            .RequireAuthorization(Policies.PatientWriter)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "patient.archived", "patient.open-session")
            .ProducesProblems(StatusCodes.Status412PreconditionFailed, "precondition.failed");
        return group;
    }

    private static async Task<Results<Created<PatientResponse>, ProblemHttpResult>> RegisterPatient(
        RegisterPatientRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (home, refused) = await SiteAccess.HomeSiteForNewPatientAsync(db, request.HomeSiteId, ct);
        if (home is null)
        {
            return refused!;
        }

        var patient = Patient.Register(request.ToDemographics(), home.Id, http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        if (await MrnTaken(db, patient.MrnNormalized, exceptId: null, ct))
        {
            return DuplicateMrn();
        }

        db.Patients.Add(patient);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Two registrations of one MRN raced past the check above; the unique index decided.
            return DuplicateMrn();
        }

        ETags.Set(http.Response, patient.Version);
        // A new patient has no flags; the count is still shown only to clinical readers.
        return TypedResults.Created($"/api/v1/patients/{patient.Id}", PatientResponse.From(patient, http.User.ReadsClinicalData() ? 0 : null));
    }

    /// <param name="search">Words that each start the MRN or a word of the patient's family or given name (case-insensitive, any order); all patients of your sites when absent.</param>
    /// <param name="includeArchived">Include archived patients (default false).</param>
    private static async Task<Results<Ok<Page<PatientResponse>>, ValidationProblem>> SearchPatients(
        ClinicDbContext db, ClaimsPrincipal user, CancellationToken ct, string? search = null, bool includeArchived = false,
        int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        IQueryable<Patient> query = db.Patients;
        if (!includeArchived)
        {
            query = query.Where(p => p.ArchivedAt == null);
        }

        // Every word must start one of the patient's search terms (the MRN, a word of the family or given name), case
        // and accents aside: each word is a range on the term index (term >= 'MUL' AND term < 'MUM'), not a scan.
        foreach (var word in PatientSearchTerm.WordsOf(search))
        {
            var terms = db.PatientSearchTerms.Where(t => t.Term.CompareTo(word) >= 0);
            if (SearchText.PrefixUpperBound(word) is { } bound)
            {
                terms = terms.Where(t => t.Term.CompareTo(bound) < 0);
            }

            var found = terms.Select(t => t.PatientId);
            query = query.Where(p => found.Contains(p.Id));
        }

        if (position is not null)
        {
            // The cursor holds only the last id (no names in URLs or logs); its sort key is looked up.
            if (!Guid.TryParse(position, out var afterId) ||
                await db.Patients.Where(p => p.Id == afterId).Select(p => p.SortName).FirstOrDefaultAsync(ct) is not { } afterName)
            {
                return Problems.Validation("cursor", "cursor is not one this API issued.");
            }

            query = query.Where(p => p.SortName.CompareTo(afterName) > 0 || (p.SortName == afterName && p.Id.CompareTo(afterId) > 0));
        }

        var rows = await query.OrderBy(p => p.SortName).ThenBy(p => p.Id).Take(pageSize + 1)
            .Select(PatientResponse.Projection(db, user)).ToListAsync(ct);
        var next = rows.Count > pageSize ? Paging.Encode(rows[pageSize - 1].Id.ToString()) : null;
        return TypedResults.Ok(new Page<PatientResponse>(rows.Take(pageSize).ToList(), next));
    }

    /// <param name="id">The patient's id.</param>
    private static async Task<Results<Ok<PatientResponse>, StatusCodeHttpResult, ProblemHttpResult>> GetPatient(
        Guid id, ClinicDbContext db, HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().Where(p => p.Id == id).Select(PatientResponse.Projection(db, http.User)).FirstOrDefaultAsync(ct);
        if (patient is null)
        {
            return Problems.NotFound("patient", id);
        }

        AuditTrail.NoteRecord(http, patient.Id, patient.HomeSiteId);

        // The tag covers the body as this caller gets it (the open-flag count, the front desk's null), and starts with
        // the version that PUT's If-Match checks. A 304 is still a read of the record: record keeping audits it.
        return ETags.NotModified(http, ETags.Representation(http, patient.Version, patient))
            ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
            : TypedResults.Ok(patient);
    }

    /// <param name="id">The patient's id.</param>
    private static async Task<Results<Ok<PatientResponse>, ProblemHttpResult>> UpdatePatient(
        Guid id, PatientRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (patient is null)
        {
            return Problems.NotFound("patient", id);
        }

        if (ETags.CheckIfMatch(http.Request, patient.Version) is { } precondition)
        {
            return precondition;
        }

        if (patient.RefuseIfArchived("changes") is { } archived)
        {
            return archived.ToProblem();
        }

        var demographics = request.ToDemographics();
        if (await MrnTaken(db, SearchText.Normalize(demographics.Mrn), exceptId: id, ct))
        {
            return DuplicateMrn();
        }

        patient.Update(demographics, http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return DuplicateMrn();
        }

        ETags.Set(http.Response, patient.Version);
        return TypedResults.Ok(PatientResponse.From(patient, await PatientResponse.OpenSafetyFlagsOf(db, http.User, id, ct)));
    }

    /// <param name="id">The patient's id.</param>
    private static async Task<Results<Ok<PatientResponse>, ProblemHttpResult>> ArchivePatient(
        Guid id, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (patient is null)
        {
            return Problems.NotFound("patient", id);
        }

        // If-Match is optional here (archiving changes no demographics) but honoured when sent.
        if (http.Request.Headers.IfMatch.Count > 0 && ETags.CheckIfMatch(http.Request, patient.Version) is { } precondition)
        {
            return precondition;
        }

        if (patient.RefuseIfArchived("changes") is { } archived)
        {
            return archived.ToProblem();
        }

        // An archived patient takes no observation or dose (domain.md §4), so a visit under way could never be
        // monitored or finished: it is closed first.
        if (await SessionCheckIn.OpenSessionIdAsync(db, id, exceptSessionId: null, ct) is { } open)
        {
            return Problems.Conflict("patient.open-session", "The patient has a session under way.",
                $"Session {open} is checked in or in progress; complete, hold or cancel it before archiving the patient.");
        }

        patient.Archive(http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, patient.Version);
        return TypedResults.Ok(PatientResponse.From(patient, await PatientResponse.OpenSafetyFlagsOf(db, http.User, id, ct)));
    }

    /// <summary>
    /// MRNs are unique in the whole group (one numbering, as the unique index holds), so the check looks past the
    /// caller's sites: it answers only "taken", never whose or where (docs/security.md, "Sites").
    /// </summary>
    private static Task<bool> MrnTaken(ClinicDbContext db, string mrnNormalized, Guid? exceptId, CancellationToken ct) =>
        db.Patients.IgnoreQueryFilters().AnyAsync(p => p.MrnNormalized == mrnNormalized && p.Id != exceptId, ct);

    private static ProblemHttpResult DuplicateMrn() =>
        Problems.Conflict("patient.duplicate-mrn", "The MRN is already registered.", "Another patient has this MRN.");
}
