using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;

namespace ClinicTracker.Api.Adherence;

/// <summary>
/// A plan's adherence to its schedule as of a clinic-local date (domain.md §10; explained for clinicians
/// in docs/adherence.md). Dates are local to the plan's time zone.
/// </summary>
/// <param name="PlanId">The plan.</param>
/// <param name="PatientId">Its patient.</param>
/// <param name="AsOf">The report date D (clinic-local): the one requested, else today in the plan's time zone.</param>
/// <param name="Due">Counted due dates (window closed, or a visit already matched) = onTime + late + missed.</param>
/// <param name="OnTime">Due dates matched to a completed session inside their window.</param>
/// <param name="Late">Due dates matched to a completed session after their window, before the next window opens.</param>
/// <param name="Missed">Due dates whose window closed with no completed session.</param>
/// <param name="MissedByReason">
/// Missed due dates per reason, every reason present: no-show, cancelled-by-patient, cancelled-by-clinic,
/// held, not-closed (the window's latest booking was still scheduled, checked in or in progress), not-scheduled.
/// </param>
/// <param name="AdherenceRate">(onTime + late) / due, 4 decimals; null while nothing is due.</param>
/// <param name="OnTimeRate">onTime / due, 4 decimals; null while nothing is due.</param>
/// <param name="LongestGapDays">Most days between two consecutive completed sessions; null with fewer than two.</param>
/// <param name="DaysSinceLastSession">asOf − the last completed session's date; null with none.</param>
/// <param name="NextDueDate">The first upcoming due date on or after asOf (else the first upcoming one); null when none is left.</param>
/// <param name="InductionComplete">Every induction due date was attended, on time or late.</param>
/// <param name="Persistent">No break in treatment longer than the configured gap (60 days by default).</param>
/// <param name="DueDates">Every reported due date in order; once the plan ended (discontinued or completed) only those on or before that date.</param>
public sealed record PlanAdherenceResponse(
    Guid PlanId, Guid PatientId, DateOnly AsOf, int Due, int OnTime, int Late, int Missed,
    IReadOnlyDictionary<MissedReason, int> MissedByReason, decimal? AdherenceRate, decimal? OnTimeRate,
    int? LongestGapDays, int? DaysSinceLastSession, DateOnly? NextDueDate, bool InductionComplete, bool Persistent,
    IReadOnlyList<DueDateAdherenceResponse> DueDates)
{
    internal static PlanAdherenceResponse From(TreatmentPlan plan, DateOnly asOf, AdherenceReport r) => new(
        plan.Id, plan.PatientId, asOf, r.Due, r.OnTime, r.Late, r.Missed, r.MissedByReason, r.AdherenceRate, r.OnTimeRate,
        r.LongestGapDays, r.DaysSinceLastSession, r.NextDueDate, r.InductionComplete, r.Persistent,
        [.. r.DueDates.Select(d => new DueDateAdherenceResponse(
            d.DueDate, d.WindowStart, d.WindowEnd, d.Status, d.SessionId, d.SessionDate, d.MissedReason))]);
}

/// <summary>How one due date of a plan stands as of the report date.</summary>
/// <param name="DueDate">The due date d (clinic-local).</param>
/// <param name="WindowStart">d − tolerance: the first date a visit counts as on time.</param>
/// <param name="WindowEnd">d + tolerance: the last date a visit counts as on time.</param>
/// <param name="Status">on-time, late, missed, or upcoming (window still open, not counted).</param>
/// <param name="SessionId">The completed session matched to it (on-time or late only).</param>
/// <param name="SessionDate">That session's clinic-local check-in date (on-time or late only).</param>
/// <param name="MissedReason">
/// Why it was missed (missed only), from the latest booking by scheduled time in the window that was not
/// completed: no-show, cancelled-by-patient, cancelled-by-clinic, held, not-closed (still scheduled, checked in or
/// in progress); not-scheduled when there was none.
/// </param>
public sealed record DueDateAdherenceResponse(
    DateOnly DueDate, DateOnly WindowStart, DateOnly WindowEnd, DueDateStatus Status, Guid? SessionId, DateOnly? SessionDate,
    MissedReason? MissedReason);

/// <summary>One active plan whose adherence rate is below the report's threshold.</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="PatientId">Its patient.</param>
/// <param name="Mrn">The patient's medical record number.</param>
/// <param name="Medication">ketamine or esketamine.</param>
/// <param name="Route">Administration route.</param>
/// <param name="AdherenceRate">(on time + late) / due, 4 decimals.</param>
/// <param name="OnTimeRate">on time / due, 4 decimals.</param>
/// <param name="Due">Counted due dates.</param>
/// <param name="Missed">Missed due dates.</param>
/// <param name="DaysSinceLastSession">Days since the last completed session; null with none.</param>
/// <param name="NextDueDate">The next upcoming due date; null when none is left.</param>
public sealed record AdherenceReportItem(
    Guid PlanId, Guid PatientId, string Mrn, Medication Medication, AdministrationRoute Route, decimal AdherenceRate,
    decimal OnTimeRate, int Due, int Missed, int? DaysSinceLastSession, DateOnly? NextDueDate)
{
    internal static AdherenceReportItem From(AdherenceReportLine s) => new(
        s.PlanId, s.PatientId, s.Mrn, s.Medication, s.Route, s.AdherenceRate, s.OnTimeRate, s.Due, s.Missed,
        s.DaysSinceLastSession, s.NextDueDate);
}
