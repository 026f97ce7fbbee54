using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Stock;

/// <summary>
/// One lot's movements over a period (domain.md §12): the balance before it, what came in and went out within it,
/// and the balance after. Balance = received − standing administered doses − waste − disposals ± count adjustments.
/// </summary>
public sealed record LotMovements(
    Guid LotId, long OpeningUg, long ReceivedUg, long AdministeredUg, int Administrations, long WastedUg, long DisposedUg, long AdjustedUg)
{
    public long ClosingUg => OpeningUg + Balance(ReceivedUg, AdministeredUg, WastedUg, DisposedUg, AdjustedUg);

    /// <summary>domain.md §12: received − administered − wasted − disposed ± adjustments (an adjustment is signed).</summary>
    public static long Balance(long received, long administered, long wasted, long disposed, long adjusted) =>
        received - administered - wasted - disposed + adjusted;

    public static LotMovements None(Guid lotId) => new(lotId, 0, 0, 0, 0, 0, 0, 0);
}

/// <summary>
/// Computes lots' balances and movements from the records themselves, on either provider, in one grouped query per
/// kind of record. Every record is read past the site filters, by lot: the caller has already found the lot (its own
/// site's, or the site of the session being dosed), and a dose from a site's stock stays in that lot's ledger even
/// when the patient's record is no longer shared with the site.
/// </summary>
public static class StockLedger
{
    /// <summary>Each lot's movements in [<paramref name="fromUtc"/>, <paramref name="toUtc"/>), with the balance before as the opening.</summary>
    public static async Task<IReadOnlyDictionary<Guid, LotMovements>> MovementsAsync(
        ClinicDbContext db, IReadOnlyCollection<Guid> lotIds, DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        var ids = lotIds.Distinct().ToList();
        var received = await SumAsync(Receipts(db).Where(r => ids.Contains(r.LotId))
            .Select(r => new Movement { LotId = r.LotId, At = r.ReceivedAt, Ug = r.QuantityUg }), fromUtc, toUtc, ct);
        var administered = await SumAsync(Administrations(db).Where(d => ids.Contains(d.LotId!.Value))
            .Select(d => new Movement { LotId = d.LotId!.Value, At = d.AdministeredAt, Ug = d.AmountUg }), fromUtc, toUtc, ct);
        var wasted = await SumAsync(Waste(db).Where(w => ids.Contains(w.LotId!.Value))
            .Select(w => new Movement { LotId = w.LotId!.Value, At = w.WastedAt, Ug = w.AmountUg }), fromUtc, toUtc, ct);
        var disposed = await SumAsync(Disposals(db).Where(d => ids.Contains(d.LotId))
            .Select(d => new Movement { LotId = d.LotId, At = d.DisposedAt, Ug = d.AmountUg }), fromUtc, toUtc, ct);
        var adjusted = await SumAsync(Adjustments(db).Where(d => ids.Contains(d.LotId))
            .Select(d => new Movement { LotId = d.LotId, At = d.ResolvedAt!.Value, Ug = d.AmountUg }), fromUtc, toUtc, ct);

        return ids.ToDictionary(id => id, id =>
        {
            var r = received.GetValueOrDefault(id);
            var a = administered.GetValueOrDefault(id);
            var w = wasted.GetValueOrDefault(id);
            var d = disposed.GetValueOrDefault(id);
            var j = adjusted.GetValueOrDefault(id);
            return new LotMovements(id, LotMovements.Balance(r.Before, a.Before, w.Before, d.Before, j.Before),
                r.Within, a.Within, a.Count, w.Within, d.Within, j.Within);
        });
    }

    /// <summary>What a lot received: every receipt.</summary>
    public static IQueryable<StockReceipt> Receipts(ClinicDbContext db) => db.StockReceipts.IgnoreQueryFilters().AsNoTracking();

    /// <summary>What a lot gave: the standing doses drawn from a lot (a voided dose was not given; domain.md §12).</summary>
    public static IQueryable<DoseEntry> Administrations(ClinicDbContext db) =>
        db.Doses.IgnoreQueryFilters().AsNoTracking().Where(d => d.LotId != null && d.Status == DoseStatus.Completed);

    /// <summary>Witnessed waste drawn from a lot.</summary>
    public static IQueryable<WasteEntry> Waste(ClinicDbContext db) => db.Waste.IgnoreQueryFilters().AsNoTracking().Where(w => w.LotId != null);

    /// <summary>Returns and destructions.</summary>
    public static IQueryable<StockDisposal> Disposals(ClinicDbContext db) => db.StockDisposals.IgnoreQueryFilters().AsNoTracking();

    /// <summary>Count adjustments: discrepancies resolved as adjusted, each moving the balance by its amount at its resolution.</summary>
    public static IQueryable<StockDiscrepancy> Adjustments(ClinicDbContext db) =>
        db.StockDiscrepancies.IgnoreQueryFilters().AsNoTracking().Where(d => d.Resolution == DiscrepancyResolution.Adjusted);

    /// <summary>Each lot's balance from everything recorded before <paramref name="beforeUtc"/>.</summary>
    public static async Task<IReadOnlyDictionary<Guid, long>> BalancesAsync(
        ClinicDbContext db, IReadOnlyCollection<Guid> lotIds, DateTime beforeUtc, CancellationToken ct) =>
        (await MovementsAsync(db, lotIds, beforeUtc, beforeUtc, ct)).ToDictionary(m => m.Key, m => m.Value.OpeningUg);

    /// <summary>Earlier than any record: the start of a lot's whole history.</summary>
    public static readonly DateTime StartOfTime = new(1, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Later than any record: the bound of "everything recorded, whatever its date".</summary>
    public static readonly DateTime EndOfTime = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A lot's balance from everything recorded, whatever its date (what a new dose or disposal may take).</summary>
    public static async Task<long> BalanceAsync(ClinicDbContext db, Guid lotId, CancellationToken ct) =>
        (await BalancesAsync(db, [lotId], EndOfTime, ct))[lotId];

    /// <summary>
    /// Holds the lot until the caller's transaction ends, so two instances cannot both take its last milligrams.
    /// PostgreSQL: a row lock on the lot. SQLite: the write transaction already holds the file's only writer lock.
    /// </summary>
    public static async Task HoldAsync(ClinicDbContext db, Guid lotId, CancellationToken ct)
    {
        if (db.OnPostgres)
        {
            await db.Database.ExecuteSqlAsync($"""SELECT 1 FROM stock_lots WHERE "Id" = {lotId} FOR UPDATE""", ct);
        }
    }

    private static async Task<Dictionary<Guid, (long Before, long Within, int Count)>> SumAsync(
        IQueryable<Movement> movements, DateTime fromUtc, DateTime toUtc, CancellationToken ct) =>
        (await movements.Where(m => m.At < toUtc).GroupBy(m => m.LotId)
            .Select(g => new
            {
                g.Key,
                Before = g.Sum(m => m.At < fromUtc ? m.Ug : 0L),
                Within = g.Sum(m => m.At >= fromUtc ? m.Ug : 0L),
                Count = g.Count(m => m.At >= fromUtc),
            })
            .ToListAsync(ct))
        .ToDictionary(s => s.Key, s => (s.Before, s.Within, s.Count));

    private sealed class Movement
    {
        public Guid LotId { get; init; }

        public DateTime At { get; init; }

        public long Ug { get; init; }
    }
}
