using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using ClinicTracker.Api.Common;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;

namespace ClinicTracker.Api.Plans;

/// <summary>A new treatment plan (domain.md §6). Send either <c>template</c> or <c>phases</c>, and either target dose.</summary>
public sealed record CreatePlanRequest
{
    /// <summary>ketamine or esketamine.</summary>
    [Required]
    public Medication? Medication { get; init; }

    /// <summary>intravenous, intranasal, oral or sublingual; esketamine is intranasal only.</summary>
    [Required]
    public AdministrationRoute? Route { get; init; }

    /// <summary>Clinic-local date of the first due date (YYYY-MM-DD).</summary>
    [Required]
    public DateOnly? StartDate { get; init; }

    /// <summary>
    /// IANA time zone, e.g. America/New_York: due dates and session dates are local dates in it. Default: the
    /// plan's site's zone (domain.md §14).
    /// </summary>
    public string? TimeZone { get; init; }

    /// <summary>
    /// The site the course takes place at: the patient's home site (the default) or a site the record is shared with.
    /// </summary>
    public Guid? SiteId { get; init; }

    /// <summary>Days a session may fall before or after its due date and still be on time (0–7; default from configuration, 1).</summary>
    public int? ToleranceDays { get; init; }

    /// <summary>A built-in schedule: iv-induction (ketamine, intravenous) or esketamine-standard (esketamine).</summary>
    public string? Template { get; init; }

    /// <summary>An explicit schedule: ordered phases, each every N days or on weekdays.</summary>
    public IReadOnlyList<PlanPhaseRequest>? Phases { get; init; }

    /// <summary>Target dose per session in mg (esketamine: 28, 56 or 84); never above the route's hard limit (domain.md §3).</summary>
    public decimal? TargetDoseMg { get; init; }

    /// <summary>Target dose per session in mg per kg of dosing weight (e.g. 0.5 for IV ketamine, whose hard limit is 1.0 by default); not for esketamine, which is dosed in whole devices.</summary>
    public decimal? TargetDoseMgPerKg { get; init; }
}

/// <summary>One phase of a schedule: <c>sessions</c> sessions either every <c>everyDays</c> days or on <c>weekdays</c>.</summary>
public sealed record PlanPhaseRequest
{
    /// <summary>Phase name, 1–50 characters; "induction" marks the induction phase of adherence reports.</summary>
    [Required]
    public string? Name { get; init; }

    /// <summary>Number of sessions in the phase, 1–200.</summary>
    [Required]
    public int? Sessions { get; init; }

    /// <summary>Days between sessions, 1–90 (or send weekdays).</summary>
    public int? EveryDays { get; init; }

    /// <summary>Days of the week, e.g. ["monday","wednesday","friday"] (or send everyDays).</summary>
    public IReadOnlyList<DayOfWeek>? Weekdays { get; init; }
}

/// <summary>Why a plan is discontinued.</summary>
public sealed record DiscontinuePlanRequest
{
    /// <summary>Reason, 1–1,000 characters.</summary>
    [Required]
    public string? Reason { get; init; }

    /// <summary>When it was discontinued (default now; not in the future). Due dates after its clinic-local date stop counting.</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>The end of a plan's course (domain.md §4). The body is optional.</summary>
public sealed record CompletePlanRequest
{
    /// <summary>When the course ended (default now; not in the future). Due dates after its clinic-local date stop counting.</summary>
    public DateTimeOffset? At { get; init; }
}

/// <summary>
/// A treatment plan. The front desk reads it to schedule sessions, without its target dose or the reason it was
/// discontinued (clinical data, domain.md §9): those are null for it.
/// </summary>
/// <param name="Id">Plan id.</param>
/// <param name="PatientId">The patient.</param>
/// <param name="Medication">ketamine or esketamine.</param>
/// <param name="Route">Administration route.</param>
/// <param name="StartDate">Clinic-local start date.</param>
/// <param name="TimeZone">IANA time zone of the clinic.</param>
/// <param name="ToleranceDays">Window half-width in days.</param>
/// <param name="Template">Template the phases came from, if any.</param>
/// <param name="Phases">The schedule's phases.</param>
/// <param name="TargetDoseMg">Target dose in mg (null for the front desk).</param>
/// <param name="TargetDoseMgPerKg">Target dose in mg/kg (null for the front desk).</param>
/// <param name="Status">active, completed or discontinued.</param>
/// <param name="DiscontinuedOn">Clinic-local date of discontinuation.</param>
/// <param name="DiscontinuationReason">Why it was discontinued (null for the front desk).</param>
/// <param name="CreatedAt">When the plan was made (UTC).</param>
/// <param name="CreatedBy">Prescriber who made it.</param>
/// <param name="Version">Concurrency version (the ETag).</param>
/// <param name="CompletedOn">Clinic-local date of completion.</param>
/// <param name="CompletedAt">When the plan was completed (UTC).</param>
/// <param name="CompletedBy">Prescriber who completed it.</param>
/// <param name="SiteId">The site the course takes place at (domain.md §14).</param>
public sealed record PlanResponse(
    Guid Id, Guid PatientId, Medication Medication, AdministrationRoute Route, DateOnly StartDate, string TimeZone,
    int ToleranceDays, string? Template, IReadOnlyList<PlanPhaseResponse> Phases, decimal? TargetDoseMg,
    decimal? TargetDoseMgPerKg, PlanStatus Status, DateOnly? DiscontinuedOn, string? DiscontinuationReason,
    DateTime CreatedAt, string CreatedBy, int Version, DateOnly? CompletedOn, DateTime? CompletedAt, string? CompletedBy, Guid SiteId)
{
    internal static PlanResponse From(TreatmentPlan p) => new(
        p.Id, p.PatientId, p.Medication, p.Route, p.StartDate, p.TimeZone, p.ToleranceDays, p.Template,
        [.. p.Phases.Select(f => new PlanPhaseResponse(f.Name, f.Sessions, f.EveryDays, f.Weekdays))],
        p.TargetDoseMg, p.TargetDoseMgPerKg, p.Status, p.DiscontinuedOn, p.DiscontinuationReason, p.CreatedAt, p.CreatedBy, p.Version,
        p.CompletedOn, p.CompletedAt, p.CompletedBy, p.SiteId);

    /// <summary>The plan as this caller may read it: without the clinical fields unless it reads clinical data.</summary>
    internal static PlanResponse For(TreatmentPlan p, ClaimsPrincipal user) => user.ReadsClinicalData()
        ? From(p)
        : From(p) with { TargetDoseMg = null, TargetDoseMgPerKg = null, DiscontinuationReason = null };
}

/// <summary>A phase of a plan's schedule.</summary>
/// <param name="Name">Phase name.</param>
/// <param name="Sessions">Sessions in the phase.</param>
/// <param name="EveryDays">Days between sessions, or null for a weekday pattern.</param>
/// <param name="Weekdays">Weekdays of a weekday pattern, or null.</param>
public sealed record PlanPhaseResponse(string Name, int Sessions, int? EveryDays, IReadOnlyList<DayOfWeek>? Weekdays);

/// <summary>A plan's due dates (clinic-local) with their windows.</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="TimeZone">The zone the dates are local to.</param>
/// <param name="ToleranceDays">Window half-width.</param>
/// <param name="DueDates">Due dates in order; once the plan ended (discontinued or completed) only those on or before that date.</param>
public sealed record ScheduleResponse(Guid PlanId, string TimeZone, int ToleranceDays, IReadOnlyList<DueDateResponse> DueDates);

/// <summary>One due date.</summary>
/// <param name="Index">0-based position in the plan.</param>
/// <param name="Phase">Phase name.</param>
/// <param name="Date">Due date.</param>
/// <param name="WindowStart">First date that still counts as on time.</param>
/// <param name="WindowEnd">Last date that counts as on time.</param>
public sealed record DueDateResponse(int Index, string Phase, DateOnly Date, DateOnly WindowStart, DateOnly WindowEnd);
