using ClinicTracker.Core.Common;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Sessions;

namespace ClinicTracker.Core.Plans;

public enum PlanStatus
{
    Active,
    Completed,
    Discontinued,
}

/// <summary>A course of treatment for one patient (domain.md §1, §6): what is planned, by which route, when.</summary>
public sealed class TreatmentPlan : IRecordedInOrder, Sites.IPatientLinked
{
    /// <summary>The cancellation reason of the bookings of a discontinued plan (domain.md §4).</summary>
    public const string DiscontinuedReason = "plan discontinued";

    /// <summary>The cancellation reason of the bookings of a completed plan.</summary>
    public const string CompletedReason = "plan completed";

    private TreatmentPlan()
    {
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    /// <summary>The site the course of treatment takes place at (domain.md §14): the patient's home site or one the record is shared with.</summary>
    public Guid SiteId { get; private set; }

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

    /// <summary>Clinic-local date of completion: due dates after it no longer count (domain.md §10), as after a discontinuation.</summary>
    public DateOnly? CompletedOn { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public string? CompletedBy { get; private set; }

    /// <summary>The clinic-local date the plan ended (discontinued or completed); null while it is active.</summary>
    public DateOnly? EndedOn => DiscontinuedOn ?? CompletedOn;

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public int Version { get; private set; }

    public static TreatmentPlan Create(
        Guid patientId, Guid siteId, Medication medication, AdministrationRoute route, DateOnly startDate, string timeZone,
        int toleranceDays, string? template, IReadOnlyList<PlanPhase> phases, decimal? targetDoseMg,
        decimal? targetDoseMgPerKg, string userName, DateTime nowUtc) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            PatientId = patientId,
            SiteId = siteId,
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

    /// <summary>The plan's due dates with their windows; once it ended (discontinued or completed) only those on or before that date.</summary>
    public IReadOnlyList<DueDate> DueDates()
    {
        var all = ScheduleGenerator.DueDates(StartDate, Phases, ToleranceDays);
        return EndedOn is { } last ? [.. all.Where(d => d.Date <= last)] : all;
    }

    /// <summary>The clinic-local calendar date of an instant, in this plan's time zone.</summary>
    public DateOnly LocalDate(DateTime utc) => ClinicTime.LocalDate(utc, TimeZone);

    /// <summary>domain.md §4: only an active plan takes new sessions, check-ins and doses.</summary>
    /// <param name="what">What was refused, for the detail ("doses", "check-ins").</param>
    public RuleViolation? RefuseUnlessActive(string what) => Status == PlanStatus.Active
        ? null
        : RuleViolation.Conflict("plan.not-active", "The plan is not active.", $"Plan {Id} is {EnumNames.Kebab(Status)} and takes no {what}.");

    /// <summary>
    /// Discontinues the plan with a reason (domain.md §4) and cancels its bookings as the clinic, reason
    /// <see cref="DiscontinuedReason"/>; see <see cref="End"/> for which sessions and which refusals.
    /// </summary>
    /// <param name="reason">Why the plan is discontinued.</param>
    /// <param name="atUtc">When it was discontinued.</param>
    /// <param name="userName">The prescriber.</param>
    /// <param name="sessions">Every session of the plan, tracked so the cancellations are saved with the plan.</param>
    public RuleViolation? Discontinue(string reason, DateTime atUtc, string userName, IReadOnlyCollection<TreatmentSession> sessions)
    {
        if (End(atUtc, userName, sessions, DiscontinuedReason, "discontinued") is { } refused)
        {
            return refused;
        }

        Status = PlanStatus.Discontinued;
        DiscontinuedAt = atUtc;
        DiscontinuedOn = LocalDate(atUtc);
        DiscontinuedBy = userName;
        DiscontinuationReason = reason;
        Version++;
        return null;
    }

    /// <summary>
    /// Completes the plan: the course is over (domain.md §4). Completed is final. Its bookings are cancelled
    /// as the clinic, reason <see cref="CompletedReason"/>; see <see cref="End"/>.
    /// </summary>
    /// <param name="atUtc">When the course ended.</param>
    /// <param name="userName">The prescriber.</param>
    /// <param name="sessions">Every session of the plan, tracked so the cancellations are saved with the plan.</param>
    public RuleViolation? Complete(DateTime atUtc, string userName, IReadOnlyCollection<TreatmentSession> sessions)
    {
        if (End(atUtc, userName, sessions, CompletedReason, "completed") is { } refused)
        {
            return refused;
        }

        Status = PlanStatus.Completed;
        CompletedAt = atUtc;
        CompletedOn = LocalDate(atUtc);
        CompletedBy = userName;
        Version++;
        return null;
    }

    /// <summary>
    /// What discontinuing and completing share. Refused: a plan that is not active (409
    /// <c>plan.not-active</c>: completed and discontinued are final); an end before the plan started; an end
    /// before a check-in already on record (the record would show a visit on an ended plan). Otherwise every
    /// session that has not started treatment is cancelled by the clinic at the end instant: scheduled ones
    /// (domain.md §4: "cancels its open scheduled sessions", a past booking nobody closed included, or it
    /// would stay open on a plan that takes no check-in), and checked-in ones, which have no dose by
    /// definition (the first dose makes a session in progress), cannot take one on an ended plan, and would
    /// keep the patient's one check-in slot. A session in progress is left to be finished; completed,
    /// cancelled, no-show and held ones are final.
    /// </summary>
    private RuleViolation? End(DateTime atUtc, string userName, IReadOnlyCollection<TreatmentSession> sessions, string cancelReason, string verb)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        if (RefuseUnlessActive($"further end (it cannot be {verb}: completed and discontinued are final)") is { } ended)
        {
            return ended;
        }

        if (atUtc < CreatedAt && LocalDate(atUtc) < StartDate)
        {
            return RuleViolation.Unprocessable("plan.time-inconsistent", $"The plan would be {verb} before it started.",
                $"A plan cannot be {verb} before its start date.");
        }

        if (sessions.FirstOrDefault(s => s.PlanId == Id && s.CheckedInAt > atUtc) is { } later)
        {
            return RuleViolation.Unprocessable("plan.time-inconsistent", $"The plan would be {verb} before a check-in on record.",
                $"Session {later.Id} of plan {Id} was checked in after that time; a plan cannot be {verb} before a visit it took.");
        }

        foreach (var session in sessions.Where(s => s.PlanId == Id && s.Status is SessionStatus.Scheduled or SessionStatus.CheckedIn))
        {
            // Cannot be refused: both statuses may become cancelled, and no check-in is after atUtc.
            if (session.Cancel(CancelledBy.Clinic, cancelReason, atUtc, userName) is { } refused)
            {
                return refused;
            }
        }

        return null;
    }
}
