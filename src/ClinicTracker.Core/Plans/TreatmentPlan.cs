using ClinicTracker.Core.Common;
using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Plans;

public enum PlanStatus
{
    Active,
    Completed,
    Discontinued,
}

/// <summary>A course of treatment for one patient (domain.md §1, §6): what is planned, by which route, when.</summary>
public sealed class TreatmentPlan : IRecordedInOrder
{
    private TreatmentPlan()
    {
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    public Medication Medication { get; private set; }

    public AdministrationRoute Route { get; private set; }

    /// <summary>Clinic-local date of the first due date.</summary>
    public DateOnly StartDate { get; private set; }

    /// <summary>IANA time zone of the clinic: due dates and session dates are local dates in it (domain.md §10).</summary>
    public string TimeZone { get; private set; } = "";

    public int ToleranceDays { get; private set; }

    /// <summary>The built-in template the phases came from, if any.</summary>
    public string? Template { get; private set; }

    public IReadOnlyList<PlanPhase> Phases { get; private set; } = [];

    public decimal? TargetDoseMg { get; private set; }

    public decimal? TargetDoseMgPerKg { get; private set; }

    public PlanStatus Status { get; private set; }

    /// <summary>Clinic-local date of discontinuation: due dates after it no longer count (domain.md §10).</summary>
    public DateOnly? DiscontinuedOn { get; private set; }

    public DateTime? DiscontinuedAt { get; private set; }

    public string? DiscontinuedBy { get; private set; }

    public string? DiscontinuationReason { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public int Version { get; private set; }

    public static TreatmentPlan Create(
        Guid patientId, Medication medication, AdministrationRoute route, DateOnly startDate, string timeZone,
        int toleranceDays, string? template, IReadOnlyList<PlanPhase> phases, decimal? targetDoseMg,
        decimal? targetDoseMgPerKg, string userName, DateTime nowUtc) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            PatientId = patientId,
            Medication = medication,
            Route = route,
            StartDate = startDate,
            TimeZone = timeZone,
            ToleranceDays = toleranceDays,
            Template = template,
            Phases = phases,
            TargetDoseMg = targetDoseMg,
            TargetDoseMgPerKg = targetDoseMgPerKg,
            Status = PlanStatus.Active,
            CreatedAt = nowUtc,
            CreatedBy = userName,
            Version = 1,
        };

    /// <summary>The plan's due dates with their windows; after discontinuation only those on or before that date.</summary>
    public IReadOnlyList<DueDate> DueDates()
    {
        var all = ScheduleGenerator.DueDates(StartDate, Phases, ToleranceDays);
        return DiscontinuedOn is { } last ? [.. all.Where(d => d.Date <= last)] : all;
    }

    /// <summary>The clinic-local calendar date of an instant, in this plan's time zone.</summary>
    public DateOnly LocalDate(DateTime utc) => ClinicTime.LocalDate(utc, TimeZone);

    /// <summary>domain.md §4: only an active plan takes new sessions, check-ins and doses.</summary>
    /// <param name="what">What was refused, for the detail ("doses", "check-ins").</param>
    public RuleViolation? RefuseUnlessActive(string what) => Status == PlanStatus.Active
        ? null
        : RuleViolation.Conflict("plan.not-active", "The plan is not active.", $"Plan {Id} is {EnumNames.Kebab(Status)} and takes no {what}.");

    public void Discontinue(string reason, DateTime atUtc, string userName)
    {
        Status = PlanStatus.Discontinued;
        DiscontinuedAt = atUtc;
        DiscontinuedOn = LocalDate(atUtc);
        DiscontinuedBy = userName;
        DiscontinuationReason = reason;
        Version++;
    }
}
