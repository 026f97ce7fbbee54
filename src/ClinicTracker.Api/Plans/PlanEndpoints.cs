using ClinicTracker.Api.Common;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Plans;
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
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        byPatient.MapGet("/plans", ListPlans).WithName(nameof(ListPlans))
            .WithSummary("A patient's plans, newest first.").RequireAuthorization(Policies.RecordReader)
            .ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);

        var plans = app.MapGroup("/api/v1/plans").WithTags("Plans");
        plans.MapGet("/{planId:guid}", GetPlan).WithName(nameof(GetPlan)).WithSummary("Read a plan.")
            .RequireAuthorization(Policies.RecordReader).ProducesProblem(StatusCodes.Status404NotFound);
        plans.MapPost("/{planId:guid}/discontinue", DiscontinuePlan).WithName(nameof(DiscontinuePlan))
            .WithSummary("Discontinue a plan with a reason (If-Match required); later due dates stop counting.")
            .RequireAuthorization(Policies.Prescriber).Validate<DiscontinuePlanRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status412PreconditionFailed).ProducesProblem(StatusCodes.Status428PreconditionRequired);
        plans.MapGet("/{planId:guid}/schedule", GetSchedule).WithName(nameof(GetSchedule))
            .WithSummary("The plan's due dates (clinic-local) with their windows.")
            .RequireAuthorization(Policies.Staff).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    private static async Task<Results<Created<PlanResponse>, ProblemHttpResult>> CreatePlan(
        Guid patientId, CreatePlanRequest request, ClinicDbContext db, TimeProvider clock, IOptions<PlanOptions> options,
        HttpContext http, CancellationToken ct)
    {
        var patient = await db.Patients.AsNoTracking().FirstOrDefaultAsync(p => p.Id == patientId, ct);
        if (patient is null)
        {
            return Problems.NotFound("patient", patientId);
        }

        if (patient.IsArchived)
        {
            return Problems.Conflict("patient.archived", "The patient is archived.", $"Patient {patientId} is archived and takes no new plans.");
        }

        var startDate = request.StartDate!.Value;
        var phases = request.Template is { } template
            ? PlanTemplates.Phases(template, startDate)!
            : CreatePlanRequestValidator.ToPhases(request.Phases!);
        var plan = TreatmentPlan.Create(patientId, request.Medication!.Value, request.Route!.Value, startDate, request.TimeZone!,
            request.ToleranceDays ?? options.Value.DefaultToleranceDays, request.Template, phases, request.TargetDoseMg,
            request.TargetDoseMgPerKg, http.User.UserName(), clock.GetUtcNow().UtcDateTime);
        db.Plans.Add(plan);
        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, plan.Version);
        return TypedResults.Created($"/api/v1/plans/{plan.Id}", PlanResponse.From(plan));
    }

    private static async Task<Results<Ok<Page<PlanResponse>>, ValidationProblem, ProblemHttpResult>> ListPlans(
        Guid patientId, ClinicDbContext db, CancellationToken ct, int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!await db.Patients.AnyAsync(p => p.Id == patientId, ct))
        {
            return Problems.NotFound("patient", patientId);
        }

        var query = db.Plans.AsNoTracking().Where(p => p.PatientId == patientId);
        // Recording order: version-7 ids grow with creation time, so the id is the keyset.
        var (page, invalidCursor) = await Paging.ByRecordingOrderAsync(query, position, pageSize, PlanResponse.From, newestFirst: true, ct);
        return invalidCursor is null ? TypedResults.Ok(page!) : invalidCursor;
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> GetPlan(
        Guid planId, ClinicDbContext db, HttpContext http, CancellationToken ct)
    {
        var plan = await db.Plans.AsNoTracking().FirstOrDefaultAsync(p => p.Id == planId, ct);
        if (plan is null)
        {
            return Problems.NotFound("plan", planId);
        }

        ETags.Set(http.Response, plan.Version);
        return TypedResults.Ok(PlanResponse.From(plan));
    }

    private static async Task<Results<Ok<PlanResponse>, ProblemHttpResult>> DiscontinuePlan(
        Guid planId, DiscontinuePlanRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
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

        if (plan.Status != PlanStatus.Active)
        {
            return Problems.Conflict("plan.not-active", "The plan is not active.", $"Plan {planId} is {EnumNames.Kebab(plan.Status)} and cannot be discontinued.");
        }

        var at = request.At?.UtcDateTime ?? clock.GetUtcNow().UtcDateTime;
        if (at < plan.CreatedAt && plan.LocalDate(at) < plan.StartDate)
        {
            return Problems.Create(StatusCodes.Status422UnprocessableEntity, "plan.time-inconsistent",
                "Discontinuation is before the plan started.", "A plan cannot be discontinued before its start date.");
        }

        plan.Discontinue(request.Reason!, at, http.User.UserName());
        await db.SaveChangesAsync(ct);
        ETags.Set(http.Response, plan.Version);
        return TypedResults.Ok(PlanResponse.From(plan));
    }

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
}
