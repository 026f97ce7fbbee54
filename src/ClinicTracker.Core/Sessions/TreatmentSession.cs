using ClinicTracker.Core.Common;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;

namespace ClinicTracker.Core.Sessions;

/// <summary>
/// One visit at which a dose may be given (domain.md §1, §4). Holds the dose summary of its non-voided
/// doses so session history is one query, and a version that makes concurrent dose recording safe.
/// </summary>
public sealed class TreatmentSession : Sites.IPatientLinked
{
    private TreatmentSession()
    {
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    public Guid PlanId { get; private set; }

    /// <summary>The site the visit takes place at (domain.md §14); by default its plan's.</summary>
    public Guid SiteId { get; private set; }

    /// <summary>The plan's medication, copied at scheduling (a plan's medication never changes) for one-query history.</summary>
    public Medication Medication { get; private set; }

    public AdministrationRoute Route { get; private set; }

    public DateTime ScheduledAt { get; private set; }

    public SessionStatus Status { get; private set; }

    public DateTime? CheckedInAt { get; private set; }

    public string? CheckedInBy { get; private set; }

    /// <summary>Weight in kg used for dosing, recorded at check-in (plausible 30–300 kg, domain.md §3).</summary>
    public decimal? WeightKg { get; private set; }

    public WeightBasis? WeightBasis { get; private set; }

    public DateTime? FirstDoseAt { get; private set; }

    public DateTime? CompletedAt { get; private set; }

    public string? CompletedBy { get; private set; }

    /// <summary>When a side exit (cancelled, no-show, held) happened, by whom and why.</summary>
    public DateTime? EndedAt { get; private set; }

    public string? EndedBy { get; private set; }

    public string? EndReason { get; private set; }

    public CancelledBy? CancelledBy { get; private set; }

    /// <summary>Sum of non-voided dose amounts in micrograms (integers compare and add exactly in any database).</summary>
    public long DoseTotalUg { get; private set; }

    public int DoseCount { get; private set; }

    /// <summary>Set by an observation of MOAA/S 0 or SpO2 below 90 (domain.md §5); shown in the session and its history.</summary>
    public bool Flagged { get; private set; }

    public DateTime CreatedAt { get; private set; }

    public string CreatedBy { get; private set; } = "";

    public int Version { get; private set; }

    public decimal DoseTotalMg => Amounts.ToMg(DoseTotalUg);

    public static TreatmentSession Schedule(TreatmentPlan plan, DateTime scheduledAtUtc, string userName, DateTime nowUtc, Guid? siteId = null) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            PatientId = plan.PatientId,
            PlanId = plan.Id,
            SiteId = siteId ?? plan.SiteId,
            Medication = plan.Medication,
            Route = plan.Route,
            ScheduledAt = scheduledAtUtc,
            Status = SessionStatus.Scheduled,
            CreatedAt = nowUtc,
            CreatedBy = userName,
            Version = 1,
        };

    public RuleViolation? CheckIn(decimal weightKg, WeightBasis basis, DateTime atUtc, string userName)
    {
        if (Refuse(SessionStatus.CheckedIn) is { } refused)
        {
            return refused;
        }

        Status = SessionStatus.CheckedIn;
        CheckedInAt = atUtc;
        CheckedInBy = userName;
        WeightKg = weightKg;
        WeightBasis = basis;
        Version++;
        return null;
    }

    public RuleViolation? Cancel(CancelledBy by, string? reason, DateTime atUtc, string userName)
    {
        var refused = End(SessionStatus.Cancelled, reason, atUtc, userName);
        if (refused is null)
        {
            CancelledBy = by;
        }

        return refused;
    }

    public RuleViolation? MarkNoShow(DateTime atUtc, string userName) => End(SessionStatus.NoShow, null, atUtc, userName);

    public RuleViolation? Hold(string reason, DateTime atUtc, string userName) => End(SessionStatus.Held, reason, atUtc, userName);

    /// <summary>Completes an in-progress session; not before check-in or the last dose.</summary>
    public RuleViolation? Complete(DateTime atUtc, DateTime? lastDoseEndUtc, string userName)
    {
        if (Refuse(SessionStatus.Completed) is { } refused)
        {
            return refused;
        }

        if (atUtc < CheckedInAt || atUtc < lastDoseEndUtc)
        {
            return RuleViolation.Unprocessable("session.time-inconsistent", "Completion is before the session's events.",
                "A session cannot be completed before its check-in or before its last dose ended.");
        }

        Status = SessionStatus.Completed;
        CompletedAt = atUtc;
        CompletedBy = userName;
        Version++;
        return null;
    }

    /// <summary>
    /// Whether a dose may be recorded now (domain.md §3: only checked in or in progress). A replacement of a
    /// voided entry may also be recorded after completion: it corrects what was given during the visit.
    /// </summary>
    public RuleViolation? CanDose(bool isReplacement = false) =>
        Status is SessionStatus.CheckedIn or SessionStatus.InProgress || (isReplacement && Status == SessionStatus.Completed)
            ? null
            : RuleViolation.Conflict("session.not-dosable", "The session does not take doses.",
                $"Doses are recorded on checked-in or in-progress sessions; this session is {EnumNames.Kebab(Status)}.");

    /// <summary>Adds a recorded dose to the summary; the first dose moves the session to in-progress.</summary>
    public void AddDose(long amountUg, DateTime administeredAtUtc)
    {
        if (Status == SessionStatus.CheckedIn)
        {
            Status = SessionStatus.InProgress;
        }

        if (FirstDoseAt is null || administeredAtUtc < FirstDoseAt)
        {
            FirstDoseAt = administeredAtUtc;
        }

        DoseTotalUg += amountUg;
        DoseCount++;
        Version++;
    }

    /// <summary>
    /// Takes a voided dose out of the summary (it no longer counts toward limits, domain.md §8). The first dose
    /// time becomes that of the earliest dose still standing, or none when no dose stands.
    /// </summary>
    /// <param name="amountUg">The voided dose's amount.</param>
    /// <param name="earliestStandingDoseAt">Administration time of the earliest dose of the session that still stands.</param>
    public void RemoveDose(long amountUg, DateTime? earliestStandingDoseAt)
    {
        DoseTotalUg -= amountUg;
        DoseCount--;
        FirstDoseAt = earliestStandingDoseAt;
        Version++;
    }

    /// <summary>Sets the flag from the session's standing (non-voided) observations; a change bumps the version.</summary>
    public void SetFlagged(bool flagged)
    {
        if (Flagged != flagged)
        {
            Flagged = flagged;
            Version++;
        }
    }

    private RuleViolation? End(SessionStatus to, string? reason, DateTime atUtc, string userName)
    {
        if (Refuse(to) is { } refused)
        {
            return refused;
        }

        if (atUtc < CheckedInAt)
        {
            return RuleViolation.Unprocessable("session.time-inconsistent", "The time is before check-in.",
                "A session cannot end before it was checked in.");
        }

        Status = to;
        EndedAt = atUtc;
        EndedBy = userName;
        EndReason = reason;
        Version++;
        return null;
    }

    private RuleViolation? Refuse(SessionStatus to) => SessionLifecycle.CanMove(Status, to)
        ? null
        : RuleViolation.Conflict("session.invalid-transition", "The session cannot make this transition.",
            $"A {EnumNames.Kebab(Status)} session cannot become {EnumNames.Kebab(to)} (domain.md §4).");
}
