using ClinicTracker.Core.Data;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Adherence;

/// <summary>The columns of a session that the adherence rules read (domain.md §10), loaded without the rest of the row.</summary>
/// <param name="Id">Session id.</param>
/// <param name="PlanId">The plan it belongs to.</param>
/// <param name="Status">Lifecycle status.</param>
/// <param name="CancelledBy">Who cancelled it, for cancelled sessions.</param>
/// <param name="ScheduledAt">Booked instant (UTC).</param>
/// <param name="CheckedInAt">Check-in instant (UTC); every completed session has one (domain.md §4: completed only after check-in).</param>
public sealed record AdherenceSessionRow(
    Guid Id, Guid PlanId, SessionStatus Status, CancelledBy? CancelledBy, DateTime ScheduledAt, DateTime? CheckedInAt);

/// <summary>
/// Turns a stored plan and its sessions into the clinic-local input of <see cref="AdherenceCalculator"/>
/// (domain.md §10), and loads a plan's sessions for it.
/// </summary>
/// <remarks>
/// <para>Session dates: a completed session is dated by the clinic-local date of its check-in; any other
/// session by the clinic-local date it was scheduled for. "Clinic-local" is the plan's IANA time zone,
/// never UTC or the server's zone: a check-in at 23:30 in New York is that day's visit although it is
/// already the next day in UTC.</para>
/// <para>Statuses: completed → completed; no-show, held → themselves; cancelled → cancelled by patient or
/// by clinic from <see cref="TreatmentSession.CancelledBy"/> (a cancellation without a recorded canceller,
/// which the API does not accept, counts as by the clinic: a miss is not put on the patient without
/// evidence); scheduled, checked-in, in-progress → open. Open sessions attend no due date, but one dated
/// inside a closed window explains its miss as not-closed (rule 4). Only a window that ended before the
/// report date D can be missed, so the clinic-wide loader leaves out open sessions booked for after D
/// (<see cref="Rows"/>): on a busy clinic the booked future is a good part of the session table.</para>
/// <para>Every session keeps its booked instant: the latest not-completed session of a window by
/// scheduled time gives the reason, and several may share a date.</para>
/// <para>Induction: the due dates of the phases named <see cref="PlanTemplates.InductionPhase"/> (compared
/// ignoring case); a plan with no phase of that name treats its first phase as the induction.</para>
/// <para>Discontinuation and completion: the calculator gets every due date of the schedule and the date the
/// plan ended (<see cref="TreatmentPlan.EndedOn"/>), not <see cref="TreatmentPlan.DueDates"/>, because the
/// late limit of the last kept due date is the opening of the next (dropped) due date's window. A completed
/// plan is treated exactly like a discontinued one: nobody is expected after the course is over.</para>
/// </remarks>
public static class PlanAdherence
{
    /// <summary>The adherence rows of all of one plan's sessions: one query (a plan has at most a few hundred).</summary>
    public static Task<List<AdherenceSessionRow>> SessionsOfPlanAsync(ClinicDbContext db, Guid planId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        return Project(db.Sessions.Where(s => s.PlanId == planId)).ToListAsync(ct);
    }

    /// <summary>
    /// The sessions that can change a report as of any date up to <paramref name="latestAsOf"/>, projected to
    /// the columns the rules read: every closed one, and the open ones booked early enough to lie in a window
    /// that closed by then. Open sessions scheduled before (latestAsOf + 2 days) 00:00 UTC are kept: a superset
    /// of those whose clinic-local date is on or before latestAsOf in any time zone (offsets −12 h to +14 h),
    /// so the bound can never drop a session that matters; the calculator judges the dates exactly.
    /// </summary>
    public static IQueryable<AdherenceSessionRow> Rows(IQueryable<TreatmentSession> sessions, DateOnly latestAsOf)
    {
        var openBefore = latestAsOf.AddDays(2).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        return Project(sessions.Where(s => s.Status == SessionStatus.Completed || s.Status == SessionStatus.NoShow
            || s.Status == SessionStatus.Cancelled || s.Status == SessionStatus.Held || s.ScheduledAt < openBefore));
    }

    /// <summary>The latest clinic-local date any zone has at <paramref name="nowUtc"/> (UTC+14 is a day ahead of UTC at most).</summary>
    public static DateOnly LatestLocalDate(DateTime nowUtc) => DateOnly.FromDateTime(nowUtc).AddDays(1);

    private static IQueryable<AdherenceSessionRow> Project(IQueryable<TreatmentSession> sessions) =>
        sessions.AsNoTracking()
            .Select(s => new AdherenceSessionRow(s.Id, s.PlanId, s.Status, s.CancelledBy, s.ScheduledAt, s.CheckedInAt));

    /// <summary>The plan's adherence report as of <paramref name="asOf"/> (clinic-local).</summary>
    public static AdherenceReport Calculate(
        TreatmentPlan plan, IEnumerable<AdherenceSessionRow> sessions, DateOnly asOf, int persistenceGapDays) =>
        AdherenceCalculator.Calculate(Input(plan, sessions, asOf, persistenceGapDays));

    /// <summary>The calculator's input for a plan, with <paramref name="zone"/> resolved by the caller when it has it.</summary>
    public static AdherenceInput Input(
        TreatmentPlan plan, IEnumerable<AdherenceSessionRow> sessions, DateOnly asOf, int persistenceGapDays,
        TimeZoneInfo? zone = null)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(sessions);
        zone ??= TimeZoneInfo.FindSystemTimeZoneById(plan.TimeZone);
        return new AdherenceInput(
            DueDates(plan),
            plan.ToleranceDays,
            [.. sessions.Select(s => Session(s, zone))],
            asOf,
            plan.EndedOn,
            persistenceGapDays);
    }

    /// <summary>Every due date of the plan's schedule, flagged when it belongs to the induction phase.</summary>
    public static IReadOnlyList<AdherenceDueDate> DueDates(TreatmentPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var named = plan.Phases.Any(p => IsInductionName(p.Name));
        return
        [
            .. ScheduleGenerator.DueDates(plan.StartDate, plan.Phases, plan.ToleranceDays)
                .Select(d => new AdherenceDueDate(d.Date, named ? IsInductionName(d.Phase) : d.PhaseIndex == 0)),
        ];
    }

    /// <summary>One session as adherence sees it: its collapsed status and its clinic-local date (domain.md §10).</summary>
    public static AdherenceSession Session(AdherenceSessionRow row, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(row);
        return row.Status == SessionStatus.Completed
            // domain.md §10: a completed session's date is the clinic-local date of its check-in.
            ? new(row.Id, AdherenceSessionStatus.Completed, ClinicTime.LocalDate(row.CheckedInAt ?? row.ScheduledAt, zone), row.ScheduledAt)
            // ... and a not-completed session's date is the local date it was scheduled for.
            : new(row.Id, StatusOf(row), ClinicTime.LocalDate(row.ScheduledAt, zone), row.ScheduledAt);
    }

    private static AdherenceSessionStatus StatusOf(AdherenceSessionRow row) => row.Status switch
    {
        SessionStatus.NoShow => AdherenceSessionStatus.NoShow,
        SessionStatus.Held => AdherenceSessionStatus.Held,
        SessionStatus.Cancelled when row.CancelledBy == CancelledBy.Patient => AdherenceSessionStatus.CancelledByPatient,
        SessionStatus.Cancelled => AdherenceSessionStatus.CancelledByClinic,
        SessionStatus.Completed => AdherenceSessionStatus.Completed,
        // Scheduled, checked in, in progress: not final yet.
        _ => AdherenceSessionStatus.Open,
    };

    private static bool IsInductionName(string name) =>
        string.Equals(name, PlanTemplates.InductionPhase, StringComparison.OrdinalIgnoreCase);
}
