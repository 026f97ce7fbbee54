using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Stock;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Stock;

/// <summary>One lot's movements in order (domain.md §12): the detail behind a reconciliation line, ids only.</summary>
internal static class Ledger
{
    public static async Task<LedgerResponse> ForLotAsync(ClinicDbContext db, Guid lotId, DateTime fromUtc, DateTime toUtc, CancellationToken ct)
    {
        var opening = (await StockLedger.BalancesAsync(db, [lotId], fromUtc, ct))[lotId];
        var moves = new List<Move>();
        // The same records the balance sums (StockLedger), so the entries always add up to it.
        moves.AddRange(await StockLedger.Receipts(db).Where(r => r.LotId == lotId && r.ReceivedAt >= fromUtc && r.ReceivedAt < toUtc)
            .Select(r => new Move(LedgerEntryKind.Receipt, r.Id, r.ReceivedAt, r.QuantityUg, r.ReceivedBy, r.WitnessUserName, null, null)).ToListAsync(ct));
        moves.AddRange(await StockLedger.Administrations(db).Where(d => d.LotId == lotId && d.AdministeredAt >= fromUtc && d.AdministeredAt < toUtc)
            .Select(d => new Move(LedgerEntryKind.Administration, d.Id, d.AdministeredAt, -d.AmountUg, d.RecordedBy, null, d.SessionId, d.PatientId))
            .ToListAsync(ct));
        moves.AddRange(await StockLedger.Waste(db).Where(w => w.LotId == lotId && w.WastedAt >= fromUtc && w.WastedAt < toUtc)
            .Select(w => new Move(LedgerEntryKind.Waste, w.Id, w.WastedAt, -w.AmountUg, w.RecordedBy, w.WitnessUserName, w.SessionId, w.PatientId))
            .ToListAsync(ct));
        moves.AddRange(await StockLedger.Disposals(db).Where(d => d.LotId == lotId && d.DisposedAt >= fromUtc && d.DisposedAt < toUtc)
            .Select(d => new Move(LedgerEntryKind.Disposal, d.Id, d.DisposedAt, -d.AmountUg, d.RecordedBy, d.WitnessUserName, null, null)).ToListAsync(ct));
        moves.AddRange(await StockLedger.Adjustments(db).Where(d => d.LotId == lotId && d.ResolvedAt >= fromUtc && d.ResolvedAt < toUtc)
            .Select(d => new Move(LedgerEntryKind.Adjustment, d.Id, d.ResolvedAt!.Value, d.AmountUg, d.ResolvedBy!, null, null, null)).ToListAsync(ct));

        var balance = opening;
        var entries = new List<LedgerEntry>(moves.Count);
        // Time order; records of one instant in recording order (version-7 ids).
        foreach (var m in moves.OrderBy(m => m.At).ThenBy(m => m.Id))
        {
            balance += m.ChangeUg;
            entries.Add(new LedgerEntry(m.Kind, m.Id, m.At, Amounts.ToMg(m.ChangeUg), Amounts.ToMg(balance), m.RecordedBy, m.Witness, m.SessionId, m.PatientId));
        }

        return new LedgerResponse(lotId, Amounts.ToMg(opening), entries, Amounts.ToMg(balance));
    }

    private sealed record Move(LedgerEntryKind Kind, Guid Id, DateTime At, long ChangeUg, string RecordedBy, string? Witness, Guid? SessionId, Guid? PatientId);
}
