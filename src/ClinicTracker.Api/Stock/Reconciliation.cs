using System.Globalization;
using System.Text;
using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sites;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Stock;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Stock;

/// <summary>
/// The dispensing reconciliation an inspector asks for (domain.md §12; 21 CFR 1304.04, 1304.22): per lot, the balance
/// at the start of the period, what came in and went out, the balance at its end, and what is unexplained. Each site's
/// period runs from midnight of <c>from</c> to the end of <c>to</c> on its own calendar.
/// </summary>
internal static class Reconciliation
{
    public const string CsvMediaType = "text/csv";

    /// <param name="from">First day of the period (each site's calendar).</param>
    /// <param name="to">Last day of the period, inclusive.</param>
    /// <param name="siteId">Only this site's lots (one of yours); default, all your sites.</param>
    /// <param name="medication">Only lots of this medication.</param>
    public static async Task<Results<Ok<ReconciliationResponse>, FileContentHttpResult, ValidationProblem, ProblemHttpResult>> Get(
        [QueryFormat("date")] DateOnly from, [QueryFormat("date")] DateOnly to, ClinicDbContext db, QueryValues values, TimeProvider clock,
        HttpContext http, CancellationToken ct, Guid? siteId = null, [QueryEnum(typeof(Medication))] string? medication = null)
    {
        if (!values.TryEnum<Medication>(medication, out var medicationFilter))
        {
            return Problems.Validation("medication", "medication must be one of ketamine, esketamine.");
        }

        if (from > to)
        {
            return Problems.Validation("from", "from must not be after to.");
        }

        if (to.DayNumber - from.DayNumber > 3660)
        {
            return Problems.Validation("to", "A reconciliation covers at most 10 years.");
        }

        var (scope, refusal) = SiteAccess.ListScope(db, siteId);
        if (scope is null)
        {
            return refusal!;
        }

        var lots = await db.StockLots.AsNoTracking()
            .Where(l => (scope.AllSites || scope.SiteIds.Contains(l.SiteId)) && (medicationFilter == null || l.Medication == medicationFilter)).ToListAsync(ct);
        var siteIds = lots.Select(l => l.SiteId).Distinct().ToList();
        var zones = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.TimeZone, ct);
        var openIds = lots.Select(l => l.Id).ToList();
        var open = (await db.StockDiscrepancies.AsNoTracking().Where(d => openIds.Contains(d.LotId) && d.ResolvedAt == null).ToListAsync(ct))
            .ToLookup(d => d.LotId);

        var lines = new List<ReconciliationLine>();
        // One period per site: its own midnight.
        foreach (var site in lots.GroupBy(l => l.SiteId))
        {
            var zone = TimeZoneInfo.FindSystemTimeZoneById(zones[site.Key]);
            var movements = await StockLedger.MovementsAsync(db, [.. site.Select(l => l.Id)],
                ClinicTime.StartOfDayUtc(from, zone), ClinicTime.StartOfDayUtc(to.AddDays(1), zone), ct);
            foreach (var lot in site)
            {
                var m = movements[lot.Id];
                var discrepancies = open[lot.Id].OrderBy(d => d.Id)
                    .Select(d => new OpenDiscrepancy(OpenDiscrepancyKind.Count, d.Id, d.AmountMg, d.OpenedAt)).ToList();
                if (m.ClosingUg < 0)
                {
                    discrepancies.Add(new OpenDiscrepancy(OpenDiscrepancyKind.NegativeBalance, null, Amounts.ToMg(m.ClosingUg), null));
                }

                if (m == LotMovements.None(lot.Id) && discrepancies.Count == 0)
                {
                    continue; // Nothing held and nothing moved: not part of this period's record.
                }

                lines.Add(new ReconciliationLine(lot.Id, lot.SiteId, lot.LotNumber, lot.Medication, lot.Form, lot.Strength, StockForms.StrengthUnit(lot.Form),
                    lot.ExpiresOn, Amounts.ToMg(m.OpeningUg), Amounts.ToMg(m.ReceivedUg), Amounts.ToMg(m.AdministeredUg), m.Administrations,
                    Amounts.ToMg(m.WastedUg), Amounts.ToMg(m.DisposedUg), Amounts.ToMg(m.AdjustedUg), Amounts.ToMg(m.ClosingUg), discrepancies));
            }
        }

        var response = new ReconciliationResponse(from, to, clock.GetUtcNow().UtcDateTime,
            [.. lines.OrderBy(l => l.SiteId).ThenBy(l => l.Medication).ThenBy(l => l.LotNumber, StringComparer.Ordinal)]);
        if (!ContentNegotiation.Prefers(http.Request, CsvMediaType))
        {
            return TypedResults.Ok(response);
        }

        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.File(Encoding.UTF8.GetBytes(Csv(response)), $"{CsvMediaType}; charset=utf-8",
            $"stock-reconciliation-{from:yyyy-MM-dd}-to-{to:yyyy-MM-dd}.csv");
    }

    /// <summary>RFC 4180: a header row, one row per lot, CRLF line ends; text cells quoted when needed and guarded against spreadsheet formulas.</summary>
    internal static string Csv(ReconciliationResponse r)
    {
        var csv = new StringBuilder();
        Row(csv, "site_id", "lot_id", "lot_number", "medication", "form", "strength", "strength_unit", "expires_on", "opening_mg", "received_mg",
            "administered_mg", "administrations", "wasted_mg", "disposed_mg", "adjusted_mg", "closing_mg", "open_discrepancies", "open_discrepancy_mg");
        foreach (var l in r.Lots)
        {
            Row(csv, l.SiteId.ToString(), l.LotId.ToString(), Text(l.LotNumber), EnumNames.Kebab(l.Medication), EnumNames.Kebab(l.Form), Number(l.Strength),
                l.StrengthUnit, l.ExpiresOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), Number(l.OpeningMg), Number(l.ReceivedMg),
                Number(l.AdministeredMg), l.Administrations.ToString(CultureInfo.InvariantCulture), Number(l.WastedMg), Number(l.DisposedMg),
                Number(l.AdjustedMg), Number(l.ClosingMg), l.OpenDiscrepancies.Count.ToString(CultureInfo.InvariantCulture),
                Number(l.OpenDiscrepancies.Sum(d => d.AmountMg)));
        }

        return csv.ToString();
    }

    private static void Row(StringBuilder csv, params string[] cells) => csv.AppendJoin(',', cells.Select(Quote)).Append("\r\n");

    private static string Quote(string cell) =>
        cell.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? '"' + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + '"' : cell;

    private static string Number(decimal value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    /// <summary>OWASP CSV injection: a text cell a spreadsheet would read as a formula is prefixed with an apostrophe.</summary>
    private static string Text(string value) => value.Length > 0 && "=+-@\t\r".Contains(value[0], StringComparison.Ordinal) ? "'" + value : value;
}
