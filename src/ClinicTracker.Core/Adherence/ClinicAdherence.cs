using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sites;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Adherence;

/// <summary>One active plan's line in the clinic-wide adherence report (domain.md §10).</summary>
/// <param name="PlanId">The plan.</param>
/// <param name="PatientId">Its patient.</param>
/// <param name="Mrn">The patient's medical record number.</param>
/// <param name="Medication">The plan's medication.</param>
/// <param name="Route">The plan's route.</param>
/// <param name="AdherenceRateScaled">(on time + late) / due × 10,000 (the rate has 4 decimals).</param>
/// <param name="OnTimeRateScaled">on time / due × 10,000.</param>
/// <param name="Due">Counted due dates.</param>
/// <param name="Missed">Missed due dates.</param>
/// <param name="DaysSinceLastSession">Days from the last completed session to the report date; null with none.</param>
/// <param name="NextDueDate">The next upcoming due date; null with none.</param>
public sealed record AdherenceReportLine(
    Guid PlanId, Guid PatientId, string Mrn, Medication Medication, AdministrationRoute Route, int AdherenceRateScaled,
    int OnTimeRateScaled, int Due, int Missed, int? DaysSinceLastSession, DateOnly? NextDueDate)
{
    public decimal AdherenceRate => (decimal)AdherenceRateScaled / AdherenceSummary.RateScale;

    public decimal OnTimeRate => (decimal)OnTimeRateScaled / AdherenceSummary.RateScale;
}

/// <summary>
/// A position in the report's order — adherence rate ascending, missed due dates descending, plan id — for keyset
/// paging: the last line of the previous page.
/// </summary>
public sealed record AdherenceReportPosition(int AdherenceRateScaled, int Missed, Guid PlanId)
{
    public static AdherenceReportPosition Of(AdherenceReportLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return new(line.AdherenceRateScaled, line.Missed, line.PlanId);
    }

    /// <summary>True when <paramref name="line"/> comes after this position in the report's order.</summary>
    public bool Precedes(AdherenceReportLine line) => Compare(line) > 0;

    /// <summary>The report's order: negative when <paramref name="line"/> comes before this position.</summary>
    public int Compare(AdherenceReportLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        return line.AdherenceRateScaled != AdherenceRateScaled ? line.AdherenceRateScaled.CompareTo(AdherenceRateScaled)
            : line.Missed != Missed ? Missed.CompareTo(line.Missed)
            : line.PlanId.CompareTo(PlanId);
    }

    /// <summary>The report's order over lines.</summary>
    public static int Order(AdherenceReportLine a, AdherenceReportLine b) => Of(b).Compare(a);
}

/// <summary>
/// The clinic-wide adherence report (domain.md §10): active plans whose adherence rate is below a threshold.
/// </summary>
/// <remarks>
/// <para>As of today (no asOf): a read of <see cref="AdherenceSummary"/> rows through the report's index with keyset
/// paging (ADR 0016), whatever the size of the session table. The rows the passing of time made stale and the
/// background refresh has not reached yet (normally none; every plan right after an upgrade) are computed here
/// instead and merged into the page, so a page is always as of now.</para>
/// <para>As of another date (asOf): every active plan is computed — two set-based queries (the active plans with
/// their patient's MRN; the adherence columns of their sessions through a join, without the bookings for after
/// the report date), then <see cref="AdherenceCalculator"/> per plan in memory, never one query per plan. Slower:
/// it grows with the plans and their sessions.</para>
/// </remarks>
public static class ClinicAdherence
{
    /// <summary>
    /// One page of the report: the lines after <paramref name="after"/>, at most <paramref name="limit"/> + 1 (the
    /// extra line tells the caller there is a next page).
    /// </summary>
    /// <param name="db">The record.</param>
    /// <param name="sites">The sites whose plans are reported (domain.md §14: reports are per site), within what the context may see.</param>
    /// <param name="threshold">Listed when adherence rate &lt; threshold (0–1).</param>
    /// <param name="asOf">One clinic-local report date for every plan; null = today in each plan's own zone.</param>
    /// <param name="nowUtc">The instant "today" is taken from.</param>
    /// <param name="persistenceGapDays">The persistence gap of domain.md §10 rule 5.</param>
    /// <param name="after">The last line of the previous page; null for the first page.</param>
    /// <param name="limit">Page size.</param>
    /// <param name="ct">Cancellation.</param>
    public static async Task<IReadOnlyList<AdherenceReportLine>> PageAsync(
        ClinicDbContext db, SiteScope sites, decimal threshold, DateOnly? asOf, DateTime nowUtc, int persistenceGapDays,
        AdherenceReportPosition? after, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(sites);
        if (asOf is not null)
        {
            var all = await BelowAsync(db, sites, threshold, asOf, nowUtc, persistenceGapDays, ct);
            return [.. all.Where(l => after is null || after.Precedes(l)).Take(limit + 1)];
        }

        // rate < threshold ⟺ rate × 10,000 < ⌈threshold × 10,000⌉ for the integer scaled rate.
        var below = (int)Math.Ceiling(threshold * AdherenceSummary.RateScale);
        var summaries = AtSites(db.AdherenceSummaries.AsNoTracking(), sites);

        // The rows the passing of time made stale: computed as of now, not read (normally none: the refresh job).
        // Their ids are taken at every site, a range at the start of the stale index; BelowAsync keeps those of the
        // caller's sites that the caller may see.
        var stale = await db.AdherenceSummaries.IgnoreQueryFilters().AsNoTracking().Where(s => s.StaleAtUtc <= nowUtc)
            .Select(s => s.PlanId).ToListAsync(ct);
        var computed = stale.Count == 0
            ? []
            : await BelowAsync(db, sites, threshold, null, nowUtc, persistenceGapDays, ct, stale);

        // A caller of several sites (but not all), on SQLite: one ordered page per site, merged here, each a walk of
        // that site's slice of the report index. One query over "SiteId IN (…)" reads every row below the threshold
        // at those sites and sorts them: on SQLite that cost a page 0.010 → 0.028 of /health/live at 10,000 plans over
        // three sites; PostgreSQL sorts them faster than it runs three queries (0.013 vs 0.009; docs/performance.md).
        var rows = new List<SummaryRow>();
        if (!sites.AllSites && sites.SiteIds.Count > 1 && !db.OnPostgres)
        {
            foreach (var site in sites.SiteIds)
            {
                rows.AddRange(await FreshPageAsync(db, db.AdherenceSummaries.AsNoTracking().Where(s => s.SiteId == site), below, nowUtc, after, limit, ct));
            }
        }
        else
        {
            rows.AddRange(await FreshPageAsync(db, summaries, below, nowUtc, after, limit, ct));
        }

        var zones = new ZoneCache();
        var lines = rows.Select(row =>
        {
            var zone = zones[row.TimeZone];

            // Days since the last session grow daily, so they are computed, not stored (AdherenceStability).
            int? daysSince = row.LastSessionOn is { } last ? ClinicTime.LocalDate(nowUtc, zone).DayNumber - last.DayNumber : null;
            return new AdherenceReportLine(row.PlanId, row.PatientId, row.Mrn, row.Medication, row.Route, row.AdherenceRateScaled!.Value,
                row.OnTimeRateScaled!.Value, row.Due, row.Missed, daysSince, row.NextDueDate);
        });

        return [.. lines.Concat(computed.Where(l => after is null || after.Precedes(l)))
            .Order(Comparer<AdherenceReportLine>.Create(AdherenceReportPosition.Order))
            .Take(limit + 1)];
    }

    private sealed record SummaryRow(
        Guid PlanId, Guid PatientId, string Mrn, Medication Medication, AdministrationRoute Route, int? AdherenceRateScaled,
        int? OnTimeRateScaled, int Due, int Missed, DateOnly? LastSessionOn, DateOnly? NextDueDate, string TimeZone);

    /// <summary>The next <paramref name="limit"/> + 1 summaries not stale at <paramref name="nowUtc"/>, in the report's order, after the position.</summary>
    private static Task<List<SummaryRow>> FreshPageAsync(
        ClinicDbContext db, IQueryable<AdherenceSummary> summaries, int below, DateTime nowUtc, AdherenceReportPosition? after, int limit,
        CancellationToken ct)
    {
        var fresh = summaries.Where(s => s.StaleAtUtc > nowUtc && s.AdherenceRateScaled < below);
        if (after is not null)
        {
            var (r, m, p) = (after.AdherenceRateScaled, after.Missed, after.PlanId);
            // The first term repeats what the rest implies: it gives the planners one index range to walk in order.
            fresh = fresh.Where(s => s.AdherenceRateScaled >= r &&
                (s.AdherenceRateScaled > r || (s.AdherenceRateScaled == r && (s.Missed < m || (s.Missed == m && s.PlanId.CompareTo(p) > 0)))));
        }

        return (
                from s in fresh
                join plan in db.Plans on s.PlanId equals plan.Id
                join patient in db.Patients on s.PatientId equals patient.Id
                where patient.ArchivedAt == null
                orderby s.AdherenceRateScaled, s.Missed descending, s.PlanId
                select new SummaryRow(
                    s.PlanId, s.PatientId, patient.Mrn, plan.Medication, plan.Route, s.AdherenceRateScaled, s.OnTimeRateScaled, s.Due,
                    s.Missed, s.LastSessionOn, s.NextDueDate, s.TimeZone))
            .Take(limit + 1)
            .ToListAsync(ct);
    }

    /// <summary>
    /// Every active plan whose adherence rate is below <paramref name="threshold"/>, computed, worst first: rate
    /// ascending, then missed due dates descending, then plan id. Plans with nothing due yet (rate null) are not listed.
    /// </summary>
    /// <param name="db">The record.</param>
    /// <param name="sites">The sites whose plans are reported, within what the context may see.</param>
    /// <param name="threshold">Listed when adherence rate &lt; threshold (0–1).</param>
    /// <param name="asOf">One clinic-local report date for every plan; null = today in each plan's own zone.</param>
    /// <param name="nowUtc">The instant "today" is taken from when <paramref name="asOf"/> is null.</param>
    /// <param name="persistenceGapDays">The persistence gap of domain.md §10 rule 5.</param>
    /// <param name="ct">Cancellation.</param>
    /// <param name="onlyPlans">Only these plans (the stale summaries of <see cref="PageAsync"/>); null = every active plan.</param>
    public static async Task<IReadOnlyList<AdherenceReportLine>> BelowAsync(
        ClinicDbContext db, SiteScope sites, decimal threshold, DateOnly? asOf, DateTime nowUtc, int persistenceGapDays,
        CancellationToken ct, IReadOnlyCollection<Guid>? onlyPlans = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(sites);
        var plansAtSites = AtSites(db.Plans.AsNoTracking(), sites);
        if (onlyPlans is not null)
        {
            plansAtSites = plansAtSites.Where(p => onlyPlans.Contains(p.Id));
        }

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
        var zones = new ZoneCache();
        var listed = new List<AdherenceReportLine>();
        foreach (var row in plans)
        {
            var plan = row.Plan;
            var zone = zones[plan.TimeZone];
            var date = asOf ?? ClinicTime.LocalDate(nowUtc, zone);
            var report = AdherenceCalculator.Calculate(
                PlanAdherence.Input(plan, byPlan[plan.Id], date, persistenceGapDays, zone));
            if (report.AdherenceRate is { } rate && rate < threshold)
            {
                listed.Add(new AdherenceReportLine(plan.Id, plan.PatientId, row.Mrn, plan.Medication, plan.Route,
                    AdherenceFigures.Scaled(rate)!.Value, AdherenceFigures.Scaled(report.OnTimeRate)!.Value, report.Due, report.Missed,
                    report.DaysSinceLastSession, report.NextDueDate));
            }
        }

        listed.Sort(AdherenceReportPosition.Order);
        return listed;
    }

    private static IQueryable<TreatmentPlan> AtSites(IQueryable<TreatmentPlan> plans, SiteScope sites)
    {
        var ids = sites.SiteIds;
        return sites.AllSites ? plans : plans.Where(p => ids.Contains(p.SiteId));
    }

    /// <summary>
    /// One site is an equality, not a one-element list: PostgreSQL reads "SiteId = ANY(list)" from the index out of
    /// the report's order and sorts, but "SiteId = x" in it.
    /// </summary>
    private static IQueryable<AdherenceSummary> AtSites(IQueryable<AdherenceSummary> summaries, SiteScope sites)
    {
        var ids = sites.SiteIds;
        if (sites.AllSites)
        {
            return summaries;
        }

        if (ids.Count == 1)
        {
            var site = ids[0];
            return summaries.Where(s => s.SiteId == site);
        }

        return summaries.Where(s => ids.Contains(s.SiteId));
    }
}
