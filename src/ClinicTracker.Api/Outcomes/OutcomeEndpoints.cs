using ClinicTracker.Api.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Outcomes;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Outcomes;

/// <summary>Assessments, outcomes and safety flags (domain.md §7): the routes <c>Program.cs</c> maps with one call.</summary>
public static class OutcomeEndpoints
{
    public static IEndpointRouteBuilder MapOutcomes(this IEndpointRouteBuilder app)
    {
        app.MapAssessments();
        app.MapSafetyFlags();
        app.MapGet("/api/v1/patients/{patientId:guid}/outcomes", GetOutcomes).WithName(nameof(GetOutcomes)).WithTags("Outcomes")
            .WithSummary("Per instrument: baseline (latest on or before the plan's start), latest, change, response, remission, trajectory.")
            .RequireAuthorization(Policies.ClinicalReader).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="patientId">The patient's id.</param>
    /// <param name="planId">The plan whose outcomes to report; the patient's newest plan when absent.</param>
    private static async Task<Results<Ok<OutcomesResponse>, ProblemHttpResult>> GetOutcomes(
        Guid patientId, ClinicDbContext db, IOptions<OutcomeOptions> options, CancellationToken ct, Guid? planId = null)
    {
        // On the primary, not ReportingDatabase (ADR 0017): one patient's few rows, read at the point of care right
        // after a nurse records a PHQ-9; a replica seconds behind would show the old baseline or invite a second entry.
        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Problems.NotFound("patient", patientId);
        }

        // The plan whose start sets the baseline: the one asked for (of this patient), else the most recently created.
        var plans = db.Plans.AsNoTracking().Where(p => p.PatientId == patientId);
        var plan = planId is { } wanted
            ? await plans.FirstOrDefaultAsync(p => p.Id == wanted, ct)
            : await plans.OrderByDescending(p => p.CreatedAt).ThenByDescending(p => p.Id).FirstOrDefaultAsync(ct);
        if (planId is { } missing && plan is null)
        {
            return Problems.Create(StatusCodes.Status404NotFound, "not-found", "The plan was not found.",
                $"Patient {patientId} has no plan with id {missing}.");
        }

        // Voided assessments (entered-in-error) no longer count (domain.md §8).
        var rows = await db.Assessments.AsNoTracking()
            .Where(a => a.PatientId == patientId && a.Status == AssessmentStatus.Completed)
            .Select(a => new { a.Id, a.Instrument, a.AssessedAt, a.Total }).ToListAsync(ct);

        // "On or before the plan's start" compares clinic-local dates (domain.md §7); without a plan, UTC dates.
        var scored = rows.Select(a => new ScoredAssessment(a.Id, a.Instrument,
            plan?.LocalDate(a.AssessedAt) ?? DateOnly.FromDateTime(a.AssessedAt), a.AssessedAt, a.Total)).ToList();
        var criteria = options.Value;
        var outcomes = OutcomeCalculator.Calculate(criteria, scored, plan?.StartDate);

        return TypedResults.Ok(new OutcomesResponse(
            patientId,
            plan is null ? null : new OutcomePlanResponse(plan.Id, plan.StartDate, plan.TimeZone),
            new OutcomeCriteriaResponse(criteria.ResponseFraction, criteria.Phq9RemissionBelow, criteria.MadrsRemissionAtMost),
            [.. outcomes.Select(InstrumentOutcomeResponse.From)]));
    }
}
