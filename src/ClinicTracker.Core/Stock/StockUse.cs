using System.Globalization;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Core.Stock;

/// <summary>
/// What takes drug out of a lot: a dose (with its route and the clinic's date of use, for the expiry check) or
/// waste (neither: waste records what happened to drug already drawn up).
/// </summary>
public sealed record StockDraw(Guid SiteId, Medication Medication, AdministrationRoute? Route, string? LotNumber, long AmountUg, DateOnly? UsedOn);

/// <summary>
/// The rules for drawing on a lot (domain.md §12): a dose or waste names a lot its site holds, of its medication and
/// a form for its route, not expired on the clinic's date of use, and with enough balance. With
/// <see cref="StockOptions.Enforce"/> off, a lot number the site does not hold is recorded as given and the balance
/// is not checked; a lot the site does hold is still refused when expired or of another product. Returns the
/// refusal instead of throwing; a caller that draws holds the lot until its transaction ends.
/// </summary>
public static class StockUse
{
    public static async Task<(Guid? LotId, RuleViolation? Refusal)> LotForAsync(
        ClinicDbContext db, StockOptions options, StockDraw draw, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(draw.LotNumber))
        {
            return options.Enforce
                ? (null, RuleViolation.Unprocessable("stock.lot-required", "Name the lot the drug came from.",
                    "Stock is tracked by lot at this clinic (Stock:Enforce): every dose and waste names its lot."))
                : (null, null);
        }

        var number = SearchText.Normalize(draw.LotNumber);
        // The session's site's stock, whoever records: the caller already sees the session.
        var lot = await db.StockLots.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(l => l.SiteId == draw.SiteId && l.LotNumberNormalized == number, ct);
        if (lot is null)
        {
            return options.Enforce
                ? (null, RuleViolation.Unprocessable("stock.unknown-lot", "The site holds no such lot.",
                    $"Site {draw.SiteId} has received no lot numbered as given; record the receipt first, or check the number on the product."))
                : (null, null);
        }

        if (lot.Medication != draw.Medication || (draw.Route is { } route && !StockForms.Serves(lot.Form, route)))
        {
            var use = draw.Route is { } r ? $"{EnumNames.Kebab(draw.Medication)} by the {EnumNames.Kebab(r)} route" : EnumNames.Kebab(draw.Medication);
            return (null, RuleViolation.Unprocessable("stock.lot-mismatch", "The lot is another product.",
                $"Lot {lot.Id} is {EnumNames.Kebab(lot.Medication)} {EnumNames.Kebab(lot.Form)}; this is {use}.",
                new Dictionary<string, object?> { ["lotId"] = lot.Id }));
        }

        if (draw.UsedOn is { } usedOn && lot.ExpiredOn(usedOn))
        {
            return (null, RuleViolation.Conflict("stock.expired", "The lot has expired.",
                $"Lot {lot.Id} expired on {lot.ExpiresOn:yyyy-MM-dd}; it cannot be used on {usedOn:yyyy-MM-dd}.",
                new Dictionary<string, object?> { ["lotId"] = lot.Id, ["expiresOn"] = lot.ExpiresOn }));
        }

        return await RefuseUnlessEnoughAsync(db, options, lot, draw.AmountUg, ct) is { } insufficient ? (null, insufficient) : (lot.Id, null);
    }

    /// <summary>
    /// Refuses (409 <c>stock.insufficient</c>) a draw larger than the lot's balance, holding the lot so no concurrent
    /// draw can take the same milligrams; with enforcement off there is no balance to protect, so no lock either.
    /// </summary>
    public static async Task<RuleViolation?> RefuseUnlessEnoughAsync(ClinicDbContext db, StockOptions options, StockLot lot, long amountUg, CancellationToken ct)
    {
        if (!options.Enforce)
        {
            return null;
        }

        await StockLedger.HoldAsync(db, lot.Id, ct);

        var balance = await StockLedger.BalanceAsync(db, lot.Id, ct);
        if (amountUg <= balance)
        {
            return null;
        }

        return RuleViolation.Conflict("stock.insufficient", "The lot holds less than that.",
            $"Lot {lot.Id} has {Mg(balance)} mg on hand; {Mg(amountUg)} mg was asked for. Nothing was recorded.",
            new Dictionary<string, object?> { ["lotId"] = lot.Id, ["balanceMg"] = Amounts.ToMg(balance), ["requestedMg"] = Amounts.ToMg(amountUg) });
    }

    private static string Mg(long ug) => Amounts.ToMg(ug).ToString(CultureInfo.InvariantCulture);
}
