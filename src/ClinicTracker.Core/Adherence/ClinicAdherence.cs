using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sites;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Adherence;

/// <summary>One active plan's line in the clinic-wide adherence report.</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="PatientId">Its patient.</param>
/// <param name="Mrn">The patient's medical record number.</param>
/// <param name="Medication">The plan's medication.</param>
/// <param name="Route">The plan's route.</param>
/// <param name="AsOf">The clinic-local report date used for this plan.</param>
/// <param name="Report">The plan's full report (domain.md §10).</param>
public sealed record PlanAdherenceSummary(
    Guid PlanId, Guid PatientId, string Mrn, Medication Medication, AdministrationRoute Route, DateOnly AsOf,
    AdherenceReport Report);

/// <summary>
/// The clinic-wide adherence report (domain.md §10): active plans whose adherence rate is below a threshold.
/// </summary>
/// <remarks>
/// Built for a clinic with 10,000 active plans: two set-based queries (the active plans with their
/// patient's MRN; the adherence columns of their sessions, through a join rather than a list of ids, without
/// the bookings for after the report date),
/// then the pure <see cref="AdherenceCalculator"/> per plan in memory. Never one query per plan. Plain
/// LINQ only, so the same code runs on every provider.
/// </remarks>
public static class ClinicAdherence
{
    /// <summary>
    /// Active plans whose adherence rate is below <paramref name="threshold"/>, worst first: rate ascending,
    /// then missed due dates descending, then plan id. Plans with nothing due yet (rate null) are not listed.
    /// </summary>
    /// <param name="db">The record.</param>
    /// <param name="sites">The sites whose plans are reported (domain.md §14: reports are per site), within what the context may see.</param>
    /// <param name="threshold">Listed when adherence rate &lt; threshold (0–1).</param>
    /// <param name="asOf">One clinic-local report date for every plan; null = today in each plan's own zone.</param>
    /// <param name="nowUtc">The instant "today" is taken from when <paramref name="asOf"/> is null.</param>
    /// <param name="persistenceGapDays">The persistence gap of domain.md §10 rule 5.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<IReadOnlyList<PlanAdherenceSummary>> BelowAsync(
        ClinicDbContext db, SiteScope sites, decimal threshold, DateOnly? asOf, DateTime nowUtc, int persistenceGapDays, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(sites);
        var all = sites.AllSites;
        var siteIds = sites.SiteIds;
        var plansAtSites = db.Plans.AsNoTracking().Where(p => all || siteIds.Contains(p.SiteId));

        // Query 1: every active plan of a patient still in treatment (archived patients are not followed up), with the MRN.
        // domain.md §4, §10: completed and discontinued plans leave the report.
        var plans = await (
                from plan in plansAtSites
                where plan.Status == PlanStatus.Active
                join patient in db.Patients on plan.PatientId equals patient.Id
                where patient.ArchivedAt == null
                select new { Plan = plan, patient.Mrn })
            .ToListAsync(ct);

        // Query 2: the adherence rows of the sessions of active plans, open ones only up to the latest report
        // date any plan can have. A join keeps it one statement whatever the number of plans (an IN list of
        // 10,000 ids would hit parameter limits).
        var sessions = await PlanAdherence.Rows(
                from session in db.Sessions
                join plan in plansAtSites on session.PlanId equals plan.Id
                where plan.Status == PlanStatus.Active
                select session,
                asOf ?? PlanAdherence.LatestLocalDate(nowUtc))
            .ToListAsync(ct);
        var byPlan = sessions.ToLookup(s => s.PlanId);

        // A clinic has few zones: resolve each once, not once per session.
        var zones = new Dictionary<string, TimeZoneInfo>(StringComparer.Ordinal);
        var listed = new List<PlanAdherenceSummary>();
        foreach (var row in plans)
        {
            var plan = row.Plan;
            if (!zones.TryGetValue(plan.TimeZone, out var zone))
            {
                zone = TimeZoneInfo.FindSystemTimeZoneById(plan.TimeZone);
                zones.Add(plan.TimeZone, zone);
            }

            var date = asOf ?? ClinicTime.LocalDate(nowUtc, zone);
            var report = AdherenceCalculator.Calculate(
                PlanAdherence.Input(plan, byPlan[plan.Id], date, persistenceGapDays, zone));
            if (report.AdherenceRate is { } rate && rate < threshold)
            {
                listed.Add(new PlanAdherenceSummary(plan.Id, plan.PatientId, row.Mrn, plan.Medication, plan.Route, date, report));
            }
        }

        return
        [
            .. listed
                .OrderBy(s => s.Report.AdherenceRate)
                .ThenByDescending(s => s.Report.Missed)
                .ThenBy(s => s.PlanId),
        ];
    }
}
