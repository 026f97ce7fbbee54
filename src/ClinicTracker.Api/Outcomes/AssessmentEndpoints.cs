using ClinicTracker.Api.Common;
using ClinicTracker.Api.Telemetry;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Outcomes;
using ClinicTracker.Core.Webhooks;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Outcomes;

/// <summary>PHQ-9 and MADRS assessments (domain.md §7): recorded by nurses and prescribers, never edited, voided with a reason.</summary>
public static class AssessmentEndpoints
{
    public static IEndpointRouteBuilder MapAssessments(this IEndpointRouteBuilder app)
    {
        var byPatient = app.MapGroup("/api/v1/patients/{patientId:guid}").WithTags("Assessments");
        byPatient.MapPost("/assessments", RecordAssessment).WithName(nameof(RecordAssessment))
            .WithSummary("Record a PHQ-9 or MADRS. The server scores it; PHQ-9 item 9 above 0 opens a safety flag.")
            .RequireAuthorization(Policies.Clinical).Idempotent().Validate<RecordAssessmentRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "patient.archived");
        byPatient.MapGet("/assessments", ListAssessments).WithName(nameof(ListAssessments))
            .WithSummary("A patient's assessments, newest first; voided ones only with includeVoided=true.")
            .RequireAuthorization(Policies.ClinicalReader).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var assessments = app.MapGroup("/api/v1/assessments").WithTags("Assessments");
        assessments.MapGet("/{assessmentId:guid}", GetAssessment).WithName(nameof(GetAssessment)).WithSummary("Read one assessment, voided or not.")
            .RequireAuthorization(Policies.ClinicalReader).ProducesProblem(StatusCodes.Status404NotFound);
        assessments.MapPost("/{assessmentId:guid}/void", VoidAssessment).WithName(nameof(VoidAssessment))
            .WithSummary("Mark an assessment entered-in-error with a reason; it stays in the record and leaves the outcomes.")
            .RequireAuthorization(Policies.Prescriber).Validate<VoidRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "assessment.already-voided");
        return app;
    }

    /// <param name="patientId">The patient's id.</param>
    private static async Task<Results<Created<AssessmentResponse>, ProblemHttpResult>> RecordAssessment(
        Guid patientId, RecordAssessmentRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return Problems.NotFound("patient", patientId);
        }

        if (patient.RefuseIfArchived("new assessments") is { } archived)
        {
            return archived.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var assessment = Assessment.Record(patientId, request.Instrument!.Value, request.Items!, request.AssessedAt!.Value.UtcDateTime,
            http.User.UserName(), now);
        db.Assessments.Add(assessment);

        // domain.md §7: PHQ-9 item 9 above 0 opens a flag in the same save, so no such answer is ever stored without one.
        var flag = SafetyFlag.RaisedBy(assessment, now);
        if (flag is not null)
        {
            db.SafetyFlags.Add(flag);
            Outbox.Add(db, WebhookEvent.SafetyFlagOpened(flag, patient.HomeSiteId, now));
        }

        await db.SaveChangesAsync(ct);
        ClinicTelemetry.SafetyFlagOpened(flag);
        return TypedResults.Created($"/api/v1/assessments/{assessment.Id}", AssessmentResponse.From(assessment, flag?.Id));
    }

    /// <param name="patientId">The patient's id.</param>
    /// <param name="instrument">Only this instrument: `phq9` or `madrs`.</param>
    /// <param name="includeVoided">Include assessments marked entered-in-error (default false).</param>
    private static async Task<Results<Ok<Page<AssessmentResponse>>, ValidationProblem, ProblemHttpResult>> ListAssessments(
        Guid patientId, ClinicDbContext db, QueryValues values, CancellationToken ct, [QueryEnum(typeof(Instrument))] string? instrument = null,
        bool includeVoided = false, int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!values.TryEnum<Instrument>(instrument, out var instrumentFilter))
        {
            return Problems.Validation("instrument", "instrument must be one of phq9, madrs.");
        }

        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Problems.NotFound("patient", patientId);
        }

        var query = db.Assessments.AsNoTracking().Where(a => a.PatientId == patientId);
        query = includeVoided ? query : query.Where(a => a.Status == AssessmentStatus.Completed);
        query = instrumentFilter is { } only ? query.Where(a => a.Instrument == only) : query;
        if (position is not null)
        {
            if (!InstantCursor.TryParse(position, out var afterAt, out var afterId))
            {
                return Problems.Validation("cursor", "cursor is not one this API issued.");
            }

            // Keyset, not offset: assessments recorded between pages (catch-up entry) cannot shift or repeat rows.
            query = query.Where(a => a.AssessedAt < afterAt || (a.AssessedAt == afterAt && a.Id.CompareTo(afterId) < 0));
        }

        var rows = await query.OrderByDescending(a => a.AssessedAt).ThenByDescending(a => a.Id).Take(pageSize + 1)
            .Select(AssessmentResponse.Projection(db)).ToListAsync(ct);
        var next = rows.Count > pageSize ? InstantCursor.Encode(rows[pageSize - 1].AssessedAt, rows[pageSize - 1].Id) : null;
        return TypedResults.Ok(new Page<AssessmentResponse>([.. rows.Take(pageSize)], next));
    }

    /// <param name="assessmentId">The assessment's id.</param>
    private static async Task<Results<Ok<AssessmentResponse>, ProblemHttpResult>> GetAssessment(
        Guid assessmentId, ClinicDbContext db, CancellationToken ct)
    {
        var assessment = await db.Assessments.AsNoTracking().Where(a => a.Id == assessmentId)
            .Select(AssessmentResponse.Projection(db)).FirstOrDefaultAsync(ct);
        return assessment is null ? Problems.NotFound("assessment", assessmentId) : TypedResults.Ok(assessment);
    }

    /// <param name="assessmentId">The assessment's id.</param>
    private static async Task<Results<Ok<AssessmentResponse>, ProblemHttpResult>> VoidAssessment(
        Guid assessmentId, VoidRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var assessment = await db.Assessments.FirstOrDefaultAsync(a => a.Id == assessmentId, ct);
        if (assessment is null)
        {
            return Problems.NotFound("assessment", assessmentId);
        }

        if (assessment.Void(request.Reason!, http.User.UserName(), clock.GetUtcNow().UtcDateTime) is { } refused)
        {
            return refused.ToProblem();
        }

        // A flag the assessment raised stays open: a prescriber closes it explicitly (domain.md §7).
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("assessment.already-voided", "The assessment is already voided.",
                $"Assessment {assessmentId} was voided by another request first.");
        }

        var flagId = await db.SafetyFlags.Where(f => f.AssessmentId == assessmentId).Select(f => (Guid?)f.Id).FirstOrDefaultAsync(ct);
        return TypedResults.Ok(AssessmentResponse.From(assessment, flagId));
    }
}
