using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Outcomes;

/// <summary>Which plans the clinic outcomes report takes.</summary>
/// <param name="From">Plans that started on or after this date (clinic-local start dates); null = no lower bound.</param>
/// <param name="To">Plans that started on or before this date; null = no upper bound.</param>
/// <param name="Medication">Only plans of this medication.</param>
/// <param name="Route">Only plans by this route.</param>
/// <param name="SiteId">Only plans at this site (one the context sees); every visible site when null.</param>
public sealed record ClinicOutcomeFilter(DateOnly? From, DateOnly? To, Medication? Medication, AdministrationRoute? Route, Guid? SiteId = null);

/// <summary>
/// Loads the inputs of <see cref="ClinicOutcomeCalculator"/> for every plan the filter takes, within what the context
/// may see (the site filters: domain.md §14, clinic-wide reports are per site), in four set-based queries whatever the
/// number of plans, never one per plan: the plans; the few columns of their sessions; their fresh adherence
/// summaries; the scored totals of their patients' standing assessments.
/// </summary>
/// <remarks>
/// <para>Every plan status counts (active, completed, discontinued): leaving out the plans that stopped would report
/// only the courses that went well. Plans of archived patients count too: an archived patient's course happened.</para>
/// <para>Adherence (domain.md §10): an active plan's rate is read from its <see cref="AdherenceSummary"/> (ADR 0016)
/// unless the passing of time made it stale; for such a plan and for every ended plan (ended plans have no summary) it
/// is computed by <see cref="AdherenceCalculator"/> as of today in the plan's zone, from the session rows the dose
/// band reads anyway (an ended plan's due dates after its end are not counted, so its figures no longer move).</para>
/// </remarks>
public static class ClinicOutcomeQuery
{
    private sealed record SessionRow(
        Guid Id, Guid PlanId, SessionStatus Status, CancelledBy? CancelledBy, DateTime ScheduledAt, DateTime? CheckedInAt,
        long DoseTotalUg, decimal? WeightKg);

    private sealed record AssessmentRow(Guid Id, Guid PatientId, Instrument Instrument, DateTime AssessedAt, int Total);

    public static async Task<IReadOnlyList<ClinicOutcomePlan>> LoadAsync(
        ClinicDbContext db, ClinicOutcomeFilter filter, DateTime nowUtc, int persistenceGapDays, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(filter);

        var plans = db.Plans.AsNoTracking();
        plans = filter.From is { } from ? plans.Where(p => p.StartDate >= from) : plans;
        plans = filter.To is { } to ? plans.Where(p => p.StartDate <= to) : plans;
        plans = filter.Medication is { } medication ? plans.Where(p => p.Medication == medication) : plans;
        plans = filter.Route is { } route ? plans.Where(p => p.Route == route) : plans;
        plans = filter.SiteId is { } site ? plans.Where(p => p.SiteId == site) : plans;

        // Query 1: the plans (their schedule is needed where adherence is computed).
        var planList = await plans.ToListAsync(ct);
        if (planList.Count == 0)
        {
            return [];
        }

        // Query 2: the session columns that dose bands and adherence read, through a join (an IN list of 20,000 plan ids
        // would hit parameter limits). Open sessions booked past the latest report date any zone has cannot change a
        // figure (PlanAdherence.Rows) and are left out.
        var openBefore = PlanAdherence.LatestLocalDate(nowUtc).AddDays(2).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
        var sessions = await (
                from s in db.Sessions
                join p in plans on s.PlanId equals p.Id
                where s.Status == SessionStatus.Completed || s.Status == SessionStatus.NoShow || s.Status == SessionStatus.Cancelled
                    || s.Status == SessionStatus.Held || s.ScheduledAt < openBefore
                select new SessionRow(s.Id, s.PlanId, s.Status, s.CancelledBy, s.ScheduledAt, s.CheckedInAt, s.DoseTotalUg, s.WeightKg))
            .AsNoTracking().ToListAsync(ct);
        var sessionsByPlan = sessions.ToLookup(s => s.PlanId);

        // Query 3: the adherence summaries still right at nowUtc (active plans only; ADR 0016).
        var fresh = await (
                from a in db.AdherenceSummaries
                join p in plans on a.PlanId equals p.Id
                where a.StaleAtUtc > nowUtc
                select new { a.PlanId, a.AdherenceRateScaled })
            .AsNoTracking().ToDictionaryAsync(a => a.PlanId, a => a.AdherenceRateScaled, ct);

        // Query 4: the standing assessments of the plans' patients (voided ones no longer count, domain.md §8); a
        // semi-join, so a patient with several plans is read once.
        var assessments = await db.Assessments.AsNoTracking()
            .Where(a => a.Status == AssessmentStatus.Completed && plans.Any(p => p.PatientId == a.PatientId))
            .Select(a => new AssessmentRow(a.Id, a.PatientId, a.Instrument, a.AssessedAt, a.Total))
            .ToListAsync(ct);
        var assessmentsByPatient = assessments.ToLookup(a => a.PatientId);

        var zones = new ZoneCache();
        var result = new List<ClinicOutcomePlan>(planList.Count);
        foreach (var plan in planList)
        {
            var zone = zones[plan.TimeZone];
            var planSessions = sessionsByPlan[plan.Id];
            var dosed = planSessions.Where(s => s.Status == SessionStatus.Completed && s.DoseTotalUg > 0)
                .Select(s => new ClinicOutcomeSession(Amounts.ToMg(s.DoseTotalUg), s.WeightKg)).ToList();

            decimal? rate;
            if (plan.Status == PlanStatus.Active && fresh.TryGetValue(plan.Id, out var scaled))
            {
                rate = scaled is { } r ? (decimal)r / AdherenceSummary.RateScale : null;
            }
            else
            {
                var rows = planSessions.Select(s => new AdherenceSessionRow(s.Id, s.PlanId, s.Status, s.CancelledBy, s.ScheduledAt, s.CheckedInAt));
                var input = PlanAdherence.Input(plan, rows, ClinicTime.LocalDate(nowUtc, zone), persistenceGapDays, zone);
                rate = AdherenceCalculator.Calculate(input).AdherenceRate;
            }

            // domain.md §7: "on or before the plan's start" compares clinic-local dates, in the plan's zone.
            var scored = assessmentsByPatient[plan.PatientId]
                .Select(a => new ScoredAssessment(a.Id, a.Instrument, ClinicTime.LocalDate(a.AssessedAt, zone), a.AssessedAt, a.Total))
                .ToList();
            result.Add(new ClinicOutcomePlan(plan.Id, plan.Medication, plan.Route, plan.StartDate, plan.EndedOn, dosed, rate, scored));
        }

        return result;
    }
}
