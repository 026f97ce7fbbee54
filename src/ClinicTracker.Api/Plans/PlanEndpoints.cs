using System.Security.Claims;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sites;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Plans;

/// <summary>The <c>Plans</c> configuration section.</summary>
public sealed class PlanOptions
{
    /// <summary>Window tolerance in days when a plan names none (domain.md §6, default 1).</summary>
    public int DefaultToleranceDays { get; set; } = 1;
}

public static class PlanEndpoints
{
    public static IEndpointRouteBuilder MapPlans(this IEndpointRouteBuilder app)
    {
        var byPatient = app.MapGroup("/api/v1/patients/{patientId:guid}").WithTags("Plans");
        byPatient.MapPost("/plans", CreatePlan).WithName(nameof(CreatePlan))
            .WithSummary("Create a treatment plan from a template or explicit phases.")
            .RequireAuthorization(Policies.Prescriber).Idempotent().Validate<CreatePlanRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "patient.archived", "site.inactive", "site.not-shared");
        byPatient.MapGet("/plans", ListPlans).WithName(nameof(ListPlans))
            .WithSummary("A patient's plans, newest first.").RequireAuthorization(Policies.DemographicsReader)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var plans = app.MapGroup("/api/v1/plans").WithTags("Plans");
        plans.MapGet("/{planId:guid}", GetPlan).WithName(nameof(GetPlan)).WithSummary("Read a plan.")
            .RequireAuthorization(Policies.DemographicsReader).ProducesProblem(StatusCodes.Status404NotFound);
        plans.MapPost("/{planId:guid}/discontinue", DiscontinuePlan).WithName(nameof(DiscontinuePlan))
            .WithSummary("Discontinue a plan with a reason (If-Match required); later due dates stop counting.")
            .RequireAuthorization(Policies.Prescriber).Validate<DiscontinuePlanRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "plan.not-active")
            .ProducesProblems(StatusCodes.Status412PreconditionFailed, "precondition.failed").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "plan.time-inconsistent")
            .ProducesProblems(StatusCodes.Status428PreconditionRequired, "precondition.required");
        plans.MapPost("/{planId:guid}/complete", CompletePlan).WithName(nameof(CompletePlan))
            .WithSummary("Complete a plan whose course is over (If-Match required; body optional); later due dates stop counting.")
            .RequireAuthorization(Policies.Prescriber).Validate<CompletePlanRequest>(optionalBody: true)
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "plan.not-active")
            .ProducesProblems(StatusCodes.Status412PreconditionFailed, "precondition.failed").ProducesProblems(StatusCodes.Status422UnprocessableEntity, "plan.time-inconsistent")
            .ProducesProblems(StatusCodes.Status428PreconditionRequired, "precondition.required");
        plans.MapGet("/{planId:guid}/schedule", GetSchedule).WithName(nameof(GetSchedule))
            .WithSummary("The plan's due dates (clinic-local) with their windows.")
            .RequireAuthorization(Policies.DemographicsReader).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <param name="patientId">The patient's id.</param>
    private static async Task<Results<Created<PlanResponse>, ProblemHttpResult>> CreatePlan(
        Guid patientId, CreatePlanRequest request, ClinicDbContext db, TimeProvider clock, IOptions<PlanOptions> options,
        HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return Problems.NotFound("patient", patientId);
        }

        if (patient.RefuseIfArchived("new plans") is { } archived)
        {
            return archived.ToProblem();
        }

        var (site, refused) = await SiteAccess.TreatmentSiteAsync(db, patient, request.SiteId ?? patient.HomeSiteId, "new plans", ct);
        if (site is null)
        {
            return refused!;
        }

        var startDate = request.StartDate!.Value;
        var phases = request.Template is { } template
            ? PlanTemplates.Phases(template, startDate)!
            : CreatePlanRequestValidator.ToPhases(request.Phases!);
        var plan = TreatmentPlan.Create(patientId, site.Id, request.Medication!.Value, request.Route!.Value, startDate, request.TimeZone ?? site.TimeZone,
            request.ToleranceDays ?? options.Value.DefaultToleranceDays, request.Template, phases, request.TargetDoseMg,
            request.TargetDoseMgPerKg, http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        db.Plans.Add(plan);
        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, plan.Version);
        return TypedResults.Created($"/api/v1/plans/{plan.Id}", PlanResponse.From(plan));
    }

    // Recording order: version-7 ids grow with creation time, so the id is the keyset.
    /// <param name="patientId">The patient's id.</param>
    private static Task<Results<Ok<Page<PlanResponse>>, ValidationProblem, ProblemHttpResult>> ListPlans(
        Guid patientId, ClinicDbContext db, ClaimsPrincipal user, CancellationToken ct, int? limit = null, string? cursor = null) =>
        Paging.OfPatientAsync(db, patientId, db.Plans, limit, cursor, p => PlanResponse.For(p, user), ct);

    /// <param name="planId">The plan's id.</param>
    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> GetPlan(
        Guid planId, ClinicDbContext db, HttpContext http, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return Problems.NotFound("plan", planId);
        }

        ETags.Set(http.Response, plan.Version);
        // The front desk reads the plan without its target dose (api-outline.md, domain.md §9).
        return TypedResults.Ok(PlanResponse.For(plan, http.User));
    }

    /// <param name="planId">The plan's id.</param>
    private static Task<Results<Ok<PlanResponse>, ProblemHttpResult>> DiscontinuePlan(
        Guid planId, DiscontinuePlanRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        End(planId, db, http, ct, (plan, sessions) => plan.Discontinue(request.Reason!, At(request.At, clock), http.User.UserName(), sessions));

    /// <param name="planId">The plan's id.</param>
    private static Task<Results<Ok<PlanResponse>, ProblemHttpResult>> CompletePlan(
        Guid planId, CompletePlanRequest? request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct) =>
        End(planId, db, http, ct, (plan, sessions) => plan.Complete(At(request?.At, clock), http.User.UserName(), sessions));

    /// <summary>Loads the plan and its sessions, applies a discontinuation or completion, and saves both together.</summary>
    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> End(
        Guid planId, ClinicDbContext db, HttpContext http, CancellationToken ct,
        Func<TreatmentPlan, IReadOnlyCollection<TreatmentSession>, RuleViolation?> end)
    {
        var plan = await db.Plans.FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return Problems.NotFound("plan", planId);
        }

        // A plan is a mutable resource: its update needs the version read (api-outline.md: 428 without If-Match, 412 when stale).
        if (ETags.CheckIfMatch(http.Request, plan.Version) is { } precondition)
        {
            return precondition;
        }

        // Tracked, so the bookings the plan's end cancels (domain.md §4) are saved with it in one transaction; a
        // session changed meanwhile fails the save on its version (412) instead of being overwritten.
        var sessions = await db.Sessions.Where(s => s.PlanId == planId).ToListAsync(ct);
        if (end(plan, sessions) is { } refused)
        {
            return refused.ToProblem();
        }

        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, plan.Version);
        return TypedResults.Ok(PlanResponse.From(plan));
    }

    /// <param name="planId">The plan's id.</param>
    private static async Task<Results<Ok<ScheduleResponse>, ProblemHttpResult>> GetSchedule(
        Guid planId, ClinicDbContext db, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return Problems.NotFound("plan", planId);
        }

        var dueDates = plan.DueDates().Select(d => new DueDateResponse(d.Index, d.Phase, d.Date, d.WindowStart, d.WindowEnd));
        return TypedResults.Ok(new ScheduleResponse(plan.Id, plan.TimeZone, plan.ToleranceDays, [.. dueDates]));
    }

    private static DateTime At(DateTimeOffset? at, TimeProvider clock) => (at ?? clock.GetUtcNow()).UtcDateTime;
}
