using ClinicTracker.Core.Data;
using ClinicTracker.Core.Plans;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Adherence;

/// <summary>
/// Keeps <see cref="AdherenceSummary"/> rows right (ADR 0016): in the transaction of every write that changes a
/// plan's adherence (<see cref="RefreshAsync"/>), for the rows whose figures the passing of time changed
/// (<see cref="RefreshStaleAsync"/>, run by a background job on every instance), and from scratch
/// (<see cref="RebuildAsync"/>, for a database filled in bulk).
/// </summary>
/// <remarks>
/// Summaries are derived from plans and sessions of every site, so these read them with the site filters off,
/// as the audit trail does: a summary is record keeping, never an answer to a caller. Who may read a summary is
/// decided by the filter on <see cref="AdherenceSummary"/> itself.
/// </remarks>
public static class AdherenceSummaries
{
    /// <summary>
    /// Recomputes the summaries of <paramref name="planIds"/> as of today in each plan's zone, inside the caller's
    /// open transaction, after the write's changes are saved; the caller saves. Holds each patient's write lock
    /// first (PostgreSQL), so two transactions writing sessions of one plan compute its summary one after the
    /// other, each from the other's committed rows.
    /// </summary>
    public static async Task RefreshAsync(ClinicDbContext db, IReadOnlyCollection<Guid> planIds, DateTime nowUtc, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(planIds);
        if (planIds.Count == 0)
        {
            return;
        }

        // Only the patients before the locks (a plan's patient never changes); the plans themselves are read after
        // them (ComputeAsync), since a plan ended by a transaction that held the lock first must be seen as ended.
        var ids = planIds.ToList();
        var patients = await db.Plans.IgnoreQueryFilters().AsNoTracking().Where(p => ids.Contains(p.Id))
            .Select(p => p.PatientId).Distinct().ToListAsync(ct);
        foreach (var patientId in patients.Order())
        {
            await PatientWriteLock.HoldAsync(db, patientId, ct);
        }

        var existing = await db.AdherenceSummaries.IgnoreQueryFilters().Where(s => ids.Contains(s.PlanId)).ToDictionaryAsync(s => s.PlanId, ct);
        foreach (var (plan, figures) in await ComputeAsync(db, ids, nowUtc, ct))
        {
            var row = existing.GetValueOrDefault(plan.Id);
            if (figures is null)
            {
                if (row is not null)
                {
                    db.AdherenceSummaries.Remove(row);
                }
            }
            else if (row is null)
            {
                db.AdherenceSummaries.Add(AdherenceSummary.For(plan, figures));
            }
            else
            {
                row.Apply(plan, figures);
            }
        }
    }

    /// <summary>
    /// Recomputes up to <paramref name="batchSize"/> summaries that were stale at <paramref name="nowUtc"/>, each written
    /// only over the version read before its sessions were: a write that updated the row meanwhile has the newer
    /// figures and keeps them, and two instances refreshing the same row write it once. Returns the rows it looked
    /// at (0: none stale).
    /// </summary>
    public static async Task<int> RefreshStaleAsync(ClinicDbContext db, DateTime nowUtc, int batchSize, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        // Versions first, then the record: see above.
        var stale = await db.AdherenceSummaries.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.StaleAtUtc <= nowUtc).OrderBy(s => s.StaleAtUtc).ThenBy(s => s.PlanId).Take(batchSize)
            .Select(s => new { s.PlanId, s.Version }).ToListAsync(ct);
        if (stale.Count == 0)
        {
            return 0;
        }

        var versions = stale.ToDictionary(s => s.PlanId, s => s.Version);
        var computed = (await ComputeAsync(db, [.. versions.Keys], nowUtc, ct)).ToDictionary(c => c.Plan.Id, c => c.Figures);
        foreach (var (planId, version) in versions)
        {
            var rows = db.AdherenceSummaries.IgnoreQueryFilters().Where(s => s.PlanId == planId && s.Version == version);
            if (computed.GetValueOrDefault(planId) is not { } f)
            {
                // The plan ended (or is gone) and a write did not remove the row: it leaves the report.
                await rows.ExecuteDeleteAsync(ct);
                continue;
            }

            await rows.ExecuteUpdateAsync(
                set => set
                    .SetProperty(s => s.AsOf, f.AsOf)
                    .SetProperty(s => s.Due, f.Due)
                    .SetProperty(s => s.OnTime, f.OnTime)
                    .SetProperty(s => s.Late, f.Late)
                    .SetProperty(s => s.Missed, f.Missed)
                    .SetProperty(s => s.AdherenceRateScaled, f.AdherenceRateScaled)
                    .SetProperty(s => s.OnTimeRateScaled, f.OnTimeRateScaled)
                    .SetProperty(s => s.LastSessionOn, f.LastSessionOn)
                    .SetProperty(s => s.NextDueDate, f.NextDueDate)
                    .SetProperty(s => s.StaleAtUtc, f.StaleAtUtc)
                    .SetProperty(s => s.ComputedAt, f.ComputedAt)
                    .SetProperty(s => s.Version, version + 1),
                ct);
        }

        return stale.Count;
    }

    /// <summary>
    /// Replaces every summary with a freshly computed one for each active plan, in batches of
    /// <paramref name="batchSize"/> plans (a database generated in bulk, or a repair). Not for a live clinic's
    /// request path: it saves batch by batch.
    /// </summary>
    public static async Task<int> RebuildAsync(ClinicDbContext db, DateTime nowUtc, CancellationToken ct, int batchSize = 1000)
    {
        ArgumentNullException.ThrowIfNull(db);
        await db.AdherenceSummaries.IgnoreQueryFilters().ExecuteDeleteAsync(ct);
        var active = await db.Plans.IgnoreQueryFilters().AsNoTracking().Where(p => p.Status == PlanStatus.Active)
            .OrderBy(p => p.Id).Select(p => p.Id).ToListAsync(ct);
        foreach (var batch in active.Chunk(batchSize))
        {
            foreach (var (plan, figures) in await ComputeAsync(db, batch, nowUtc, ct))
            {
                if (figures is not null)
                {
                    db.AdherenceSummaries.Add(AdherenceSummary.For(plan, figures));
                }
            }

            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }

        return active.Count;
    }

    /// <summary>Each plan with its figures as of today in its zone; null figures for a plan that is not active.</summary>
    private static async Task<List<(TreatmentPlan Plan, AdherenceFigures? Figures)>> ComputeAsync(
        ClinicDbContext db, IReadOnlyList<Guid> planIds, DateTime nowUtc, CancellationToken ct)
    {
        var plans = await db.Plans.IgnoreQueryFilters().AsNoTracking().Where(p => planIds.Contains(p.Id)).ToListAsync(ct);
        var active = plans.Where(p => p.Status == PlanStatus.Active).Select(p => p.Id).ToList();
        var sessions = active.Count == 0
            ? []
            : await PlanAdherence.Rows(db.Sessions.IgnoreQueryFilters().Where(s => active.Contains(s.PlanId)),
                PlanAdherence.LatestLocalDate(nowUtc)).ToListAsync(ct);
        var byPlan = sessions.ToLookup(s => s.PlanId);
        var zones = new ZoneCache();
        var result = new List<(TreatmentPlan, AdherenceFigures?)>(plans.Count);
        foreach (var plan in plans)
        {
            if (plan.Status != PlanStatus.Active)
            {
                // domain.md §4, §10: completed and discontinued plans leave the report.
                result.Add((plan, null));
                continue;
            }

            var zone = zones[plan.TimeZone];

            // The stored figures do not depend on the persistence gap (AdherenceStability): the default is passed.
            var input = PlanAdherence.Input(plan, byPlan[plan.Id], ClinicTime.LocalDate(nowUtc, zone), new AdherenceOptions().PersistenceGapDays, zone);
            result.Add((plan, AdherenceFigures.Of(input, zone, nowUtc)));
        }

        return result;
    }
}
