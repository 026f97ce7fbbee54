using ClinicTracker.Api.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Outcomes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Outcomes;

/// <summary>Safety flags (domain.md §7): raised by PHQ-9 item 9 above 0, open until a prescriber acknowledges them.</summary>
public static class SafetyFlagEndpoints
{
    public static IEndpointRouteBuilder MapSafetyFlags(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/v1/patients/{patientId:guid}/safety-flags", ListSafetyFlags).WithName(nameof(ListSafetyFlags))
            .WithTags("Safety flags").WithSummary("A patient's safety flags, newest first; filter with status=open or acknowledged.")
            .RequireAuthorization(Policies.ClinicalReader).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/api/v1/safety-flags/{flagId:guid}/acknowledge", AcknowledgeSafetyFlag).WithName(nameof(AcknowledgeSafetyFlag))
            .WithTags("Safety flags").WithSummary("Acknowledge a safety flag with the action taken (prescribers); it closes once, for good.")
            .RequireAuthorization(Policies.Prescriber).Validate<AcknowledgeSafetyFlagRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "safety-flag.already-acknowledged");
        return app;
    }

    /// <param name="patientId">The patient's id.</param>
    /// <param name="status">Only flags in this state: `open` or `acknowledged`; all when absent.</param>
    private static async Task<Results<Ok<Page<SafetyFlagResponse>>, ValidationProblem, ProblemHttpResult>> ListSafetyFlags(
        Guid patientId, ClinicDbContext db, QueryValues values, CancellationToken ct, [QueryEnum(typeof(SafetyFlagStatus))] string? status = null, int? limit = null,
        string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!values.TryEnum<SafetyFlagStatus>(status, out var statusFilter))
        {
            return Problems.Validation("status", "status must be one of open, acknowledged.");
        }

        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Problems.NotFound("patient", patientId);
        }

        var query = db.SafetyFlags.AsNoTracking().Where(f => f.PatientId == patientId);
        query = statusFilter is { } only ? query.Where(f => f.Status == only) : query;
        // Version-7 ids grow with the time the flag was raised, so the id alone is the keyset (newest first).
        var (page, invalidCursor) = await Paging.ByRecordingOrderAsync(
            query, position, pageSize, SafetyFlagResponse.Projection(db), f => f.Id, newestFirst: true, ct);
        return invalidCursor is null ? TypedResults.Ok(page!) : invalidCursor;
    }

    /// <param name="flagId">The safety flag's id.</param>
    private static async Task<Results<Ok<SafetyFlagResponse>, ProblemHttpResult>> AcknowledgeSafetyFlag(
        Guid flagId, AcknowledgeSafetyFlagRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var flag = await db.SafetyFlags.FirstOrDefaultAsync(f => f.Id == flagId, ct);
        if (flag is null)
        {
            return Problems.NotFound("safety flag", flagId);
        }

        // domain.md §7: who (the token's user), when (server time) and the action taken; an archived patient's flag still closes.
        if (flag.Acknowledge(request.ActionTaken!, http.User.UserName(), clock.GetUtcNow().UtcDateTime) is { } refused)
        {
            return refused.ToProblem();
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("safety-flag.already-acknowledged", "The safety flag is already acknowledged.",
                $"Safety flag {flagId} was acknowledged by another request first.");
        }

        var voided = await db.Assessments.AnyAsync(a => a.Id == flag.AssessmentId && a.Status == AssessmentStatus.EnteredInError, ct);
        return TypedResults.Ok(SafetyFlagResponse.From(flag, voided));
    }
}
