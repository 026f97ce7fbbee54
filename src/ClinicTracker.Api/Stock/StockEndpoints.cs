using ClinicTracker.Api.Common;
using ClinicTracker.Api.Sites;
using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Common;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Stock;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Stock;

/// <summary>
/// Controlled-substance stock by lot (domain.md §12; docs/controlled-substances.md): receipts, disposals and counts
/// by nurses and prescribers, each with a second clinician; discrepancies resolved by a prescriber; the
/// reconciliation for prescribers and admins. Every record is kept at one site and seen only there.
/// </summary>
public static class StockEndpoints
{
    private const string WitnessInvalid = "stock.witness-invalid";

    public static IEndpointRouteBuilder MapStock(this IEndpointRouteBuilder app)
    {
        var stock = app.MapGroup("/api/v1/stock").WithTags("Stock");
        stock.MapPost("/receipts", RecordReceipt).WithName(nameof(RecordReceipt))
            .WithSummary("Receive controlled substance into a lot, with a second clinician; the first receipt of a lot number creates the lot.")
            .RequireAuthorization(Policies.Clinical).Idempotent().Validate<RecordReceiptRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status403Forbidden, "site.not-assigned")
            .ProducesProblems(StatusCodes.Status409Conflict, "site.inactive", "stock.lot-conflict")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, WitnessInvalid);
        stock.MapGet("/receipts/{receiptId:guid}", GetReceipt).WithName(nameof(GetReceipt))
            .WithSummary("Read one receipt.").RequireAuthorization(Policies.StockReader).ProducesProblem(StatusCodes.Status404NotFound);
        stock.MapGet("/lots", ListLots).WithName(nameof(ListLots))
            .WithSummary("The lots held at your sites with their balances, newest first; empty lots only with includeEmpty=true.")
            .RequireAuthorization(Policies.StockReader).ProducesValidationProblem()
            .ProducesProblems(StatusCodes.Status403Forbidden, "site.not-assigned");
        stock.MapGet("/lots/{lotId:guid}", GetLot).WithName(nameof(GetLot))
            .WithSummary("Read one lot with its balance.").RequireAuthorization(Policies.StockReader).ProducesProblem(StatusCodes.Status404NotFound);
        stock.MapGet("/lots/{lotId:guid}/ledger", GetLedger).WithName(nameof(GetLedger))
            .WithSummary("A lot's movements in time order with the balance after each: receipts, standing doses, waste, disposals, adjustments.")
            .RequireAuthorization(Policies.Clinical).ProducesValidationProblem().ProducesProblem(StatusCodes.Status404NotFound);
        stock.MapPost("/lots/{lotId:guid}/disposals", RecordDisposal).WithName(nameof(RecordDisposal))
            .WithSummary("Return or destroy stock of a lot, with a witness.")
            .RequireAuthorization(Policies.Clinical).Idempotent().Validate<RecordDisposalRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "stock.insufficient")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, WitnessInvalid);
        stock.MapGet("/disposals/{disposalId:guid}", GetDisposal).WithName(nameof(GetDisposal))
            .WithSummary("Read one return or destruction.").RequireAuthorization(Policies.StockReader).ProducesProblem(StatusCodes.Status404NotFound);
        stock.MapPost("/lots/{lotId:guid}/counts", RecordCount).WithName(nameof(RecordCount))
            .WithSummary("Record a physical count by two clinicians; a count that differs from the ledger opens a discrepancy.")
            .RequireAuthorization(Policies.Clinical).Idempotent().Validate<RecordCountRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound).ProducesProblems(StatusCodes.Status409Conflict, "stock.discrepancy-open")
            .ProducesProblems(StatusCodes.Status422UnprocessableEntity, WitnessInvalid);
        stock.MapGet("/counts/{countId:guid}", GetCount).WithName(nameof(GetCount))
            .WithSummary("Read one count.").RequireAuthorization(Policies.StockReader).ProducesProblem(StatusCodes.Status404NotFound);
        stock.MapGet("/discrepancies", ListDiscrepancies).WithName(nameof(ListDiscrepancies))
            .WithSummary("Count discrepancies at your sites, newest first.").RequireAuthorization(Policies.StockReader).ProducesValidationProblem()
            .ProducesProblems(StatusCodes.Status403Forbidden, "site.not-assigned");
        stock.MapGet("/discrepancies/{discrepancyId:guid}", GetDiscrepancy).WithName(nameof(GetDiscrepancy))
            .WithSummary("Read one discrepancy.").RequireAuthorization(Policies.StockReader).ProducesProblem(StatusCodes.Status404NotFound);
        stock.MapPost("/discrepancies/{discrepancyId:guid}/resolve", ResolveDiscrepancy).WithName(nameof(ResolveDiscrepancy))
            .WithSummary("Resolve a discrepancy with a reason: adjust the balance to the count, or state that the records were corrected.")
            .RequireAuthorization(Policies.Prescriber).Validate<ResolveDiscrepancyRequest>()
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblems(StatusCodes.Status409Conflict, "stock.discrepancy-resolved", "stock.concurrent-change");
        stock.MapGet("/reconciliation", Reconciliation.Get).WithName("GetStockReconciliation")
            .WithSummary("Each lot's opening balance, receipts, administrations, waste, disposals, adjustments, closing balance and open " +
                "discrepancies over a period: JSON, or CSV with Accept: text/csv.")
            .RequireAuthorization(Policies.ReportReader).ProducesValidationProblem()
            .ProducesProblems(StatusCodes.Status403Forbidden, "site.not-assigned")
            .WithAlternativeContent(StatusCodes.Status200OK, Reconciliation.CsvMediaType,
                "One row per lot with the columns of the JSON lines (open discrepancies as a count and a sum).");
        return app;
    }

    private static async Task<Results<Created<ReceiptResponse>, ProblemHttpResult>> RecordReceipt(
        RecordReceiptRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var (site, refusal) = await SiteAccess.NamedOrOnlySiteAsync(db, request.SiteId, "siteId", "stock receipts", ct);
        if (site is null)
        {
            return refusal!;
        }

        var user = http.User.UserName();
        if (await Witness.RefusalAsync(db, request.WitnessUserName!, user, WitnessInvalid, "receipt", ct) is { } witness)
        {
            return witness.ToProblem();
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var number = SearchText.Normalize(request.LotNumber!);
        var lot = await db.StockLots.FirstOrDefaultAsync(l => l.SiteId == site.Id && l.LotNumberNormalized == number, ct);
        if (lot is null)
        {
            lot = StockLot.Create(site.Id, request.Medication!.Value, request.Form!.Value, request.Strength!.Value, request.LotNumber!,
                request.ExpiresOn!.Value, request.Manufacturer, user, now);
            db.StockLots.Add(lot);
        }
        else if (lot.RefuseUnlessSameProduct(request.Medication!.Value, request.Form!.Value, request.Strength!.Value, request.ExpiresOn!.Value) is { } other)
        {
            return other.ToProblem();
        }
        else
        {
            await StockLedger.HoldAsync(db, lot.Id, ct);
        }

        var receipt = StockReceipt.Record(lot, request.QuantityMg!.Value, request.ReceivedAt!.Value.UtcDateTime, request.Supplier!,
            request.InvoiceNumber!, request.WitnessUserName!, user, now);
        db.StockReceipts.Add(receipt);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Two first receipts of one lot number raced; the unique index kept one lot. Resending adds to it.
            return RuleViolation.Conflict("stock.lot-conflict", "The lot was created by another receipt at the same moment.",
                "Send the receipt again: it will be added to that lot if it describes the same product.").ToProblem();
        }

        return TypedResults.Created($"/api/v1/stock/receipts/{receipt.Id}", ReceiptResponse.From(receipt, await LotAsync(db, lot, clock, ct)));
    }

    /// <param name="receiptId">The receipt's id.</param>
    private static async Task<Results<Ok<ReceiptResponse>, ProblemHttpResult>> GetReceipt(
        Guid receiptId, ClinicDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var receipt = await db.StockReceipts.AsNoTracking().FirstOrDefaultAsync(r => r.Id == receiptId, ct);
        if (receipt is null)
        {
            return Problems.NotFound("receipt", receiptId);
        }

        var lot = await db.StockLots.AsNoTracking().FirstAsync(l => l.Id == receipt.LotId, ct);
        return TypedResults.Ok(ReceiptResponse.From(receipt, await LotAsync(db, lot, clock, ct)));
    }

    /// <param name="medication">Only lots of this medication.</param>
    /// <param name="siteId">Only this site's lots (one of yours); default, all your sites.</param>
    /// <param name="includeEmpty">Include lots whose balance is 0 (default false). Lots with a negative balance or an open discrepancy are always listed.</param>
    private static async Task<Results<Ok<Page<LotResponse>>, ValidationProblem, ProblemHttpResult>> ListLots(
        ClinicDbContext db, QueryValues values, TimeProvider clock, CancellationToken ct, [QueryEnum(typeof(Medication))] string? medication = null,
        Guid? siteId = null, bool includeEmpty = false, int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!values.TryEnum<Medication>(medication, out var medicationFilter))
        {
            return Problems.Validation("medication", "medication must be one of ketamine, esketamine.");
        }

        var (scope, refusal) = SiteAccess.ListScope(db, siteId);
        if (scope is null)
        {
            return refusal!;
        }

        var query = db.StockLots.AsNoTracking().Where(l => scope.AllSites || scope.SiteIds.Contains(l.SiteId));
        if (medicationFilter is not null)
        {
            query = query.Where(l => l.Medication == medicationFilter);
        }

        LotFigures? figures = null;
        if (!includeEmpty)
        {
            // Whether a lot is empty is the ledger's sum, not a column: list the lots that are not, a page at a time.
            var ids = await query.Select(l => l.Id).ToListAsync(ct);
            figures = await FiguresAsync(db, ids, ct);
            var listed = ids.Where(id => figures.Balances[id] != 0 || figures.Open.ContainsKey(id)).ToList();
            query = query.Where(l => listed.Contains(l.Id));
        }

        var (page, invalidCursor) = await Paging.ByRecordingOrderAsync(query, position, pageSize, l => l, newestFirst: true, ct);
        if (invalidCursor is not null)
        {
            return invalidCursor;
        }

        var responses = await LotsAsync(db, page!.Items, clock, ct, figures);
        return TypedResults.Ok(new Page<LotResponse>([.. page.Items.Select(l => responses[l.Id])], page.NextCursor));
    }

    /// <param name="lotId">The lot's id.</param>
    private static async Task<Results<Ok<LotResponse>, ProblemHttpResult>> GetLot(Guid lotId, ClinicDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var lot = await db.StockLots.AsNoTracking().FirstOrDefaultAsync(l => l.Id == lotId, ct);
        return lot is null ? Problems.NotFound("lot", lotId) : TypedResults.Ok(await LotAsync(db, lot, clock, ct));
    }

    /// <param name="lotId">The lot's id.</param>
    /// <param name="from">First day to list (the site's calendar); default, from the first movement.</param>
    /// <param name="to">Last day to list, inclusive; default, up to now.</param>
    private static async Task<Results<Ok<LedgerResponse>, ValidationProblem, ProblemHttpResult>> GetLedger(
        Guid lotId, ClinicDbContext db, CancellationToken ct, [QueryFormat("date")] DateOnly? from = null, [QueryFormat("date")] DateOnly? to = null)
    {
        if (from > to)
        {
            return Problems.Validation("from", "from must not be after to.");
        }

        var lot = await db.StockLots.AsNoTracking().FirstOrDefaultAsync(l => l.Id == lotId, ct);
        if (lot is null)
        {
            return Problems.NotFound("lot", lotId);
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById(await SiteZoneAsync(db, lot.SiteId, ct));
        var fromUtc = from is { } f ? ClinicTime.StartOfDayUtc(f, zone) : StockLedger.StartOfTime;
        var toUtc = to is { } t ? ClinicTime.StartOfDayUtc(t.AddDays(1), zone) : StockLedger.EndOfTime;
        return TypedResults.Ok(await Ledger.ForLotAsync(db, lot.Id, fromUtc, toUtc, ct));
    }

    /// <param name="lotId">The lot's id.</param>
    private static async Task<Results<Created<DisposalResponse>, ProblemHttpResult>> RecordDisposal(
        Guid lotId, RecordDisposalRequest request, ClinicDbContext db, IOptions<StockOptions> options, TimeProvider clock, HttpContext http,
        CancellationToken ct)
    {
        var lot = await db.StockLots.AsNoTracking().FirstOrDefaultAsync(l => l.Id == lotId, ct);
        if (lot is null)
        {
            return Problems.NotFound("lot", lotId);
        }

        var user = http.User.UserName();
        if (await Witness.RefusalAsync(db, request.WitnessUserName!, user, WitnessInvalid, "disposal", ct) is { } witness)
        {
            return witness.ToProblem();
        }

        // An expired lot is disposed of, not refused: expiry is the usual reason.
        var disposal = StockDisposal.Record(lot, request.Kind!.Value, request.AmountMg!.Value, request.DisposedAt!.Value.UtcDateTime, request.Reason!,
            request.Reference, request.WitnessUserName!, user, clock.GetUtcNow().UtcDateTime);
        if (await StockUse.RefuseUnlessEnoughAsync(db, options.Value, lot, disposal.AmountUg, ct) is { } insufficient)
        {
            return insufficient.ToProblem();
        }

        db.StockDisposals.Add(disposal);
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/stock/disposals/{disposal.Id}", DisposalResponse.From(disposal));
    }

    /// <param name="disposalId">The disposal's id.</param>
    private static async Task<Results<Ok<DisposalResponse>, ProblemHttpResult>> GetDisposal(Guid disposalId, ClinicDbContext db, CancellationToken ct)
    {
        var disposal = await db.StockDisposals.AsNoTracking().FirstOrDefaultAsync(d => d.Id == disposalId, ct);
        return disposal is null ? Problems.NotFound("disposal", disposalId) : TypedResults.Ok(DisposalResponse.From(disposal));
    }

    /// <param name="lotId">The lot's id.</param>
    private static async Task<Results<Created<CountResponse>, ProblemHttpResult>> RecordCount(
        Guid lotId, RecordCountRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var lot = await db.StockLots.AsNoTracking().FirstOrDefaultAsync(l => l.Id == lotId, ct);
        if (lot is null)
        {
            return Problems.NotFound("lot", lotId);
        }

        var user = http.User.UserName();
        if (await Witness.RefusalAsync(db, request.WitnessUserName!, user, WitnessInvalid, "count", ct) is { } witness)
        {
            return witness.ToProblem();
        }

        await StockLedger.HoldAsync(db, lot.Id, ct);
        // An open discrepancy is not yet in the ledger: a second count would find the same difference again, and two
        // adjustments would take it twice. The prescriber resolves the first, then the lot is counted again.
        if (await db.StockDiscrepancies.Where(d => d.LotId == lot.Id && d.ResolvedAt == null).Select(d => (Guid?)d.Id).FirstOrDefaultAsync(ct) is { } open)
        {
            return RuleViolation.Conflict("stock.discrepancy-open", "The lot has an open discrepancy.",
                $"Discrepancy {open} of lot {lot.Id} awaits a prescriber's resolution; count the lot again after it is resolved.").ToProblem();
        }

        var countedAt = request.CountedAt!.Value.UtcDateTime;
        // Everything recorded up to and including the count's instant.
        var expected = (await StockLedger.BalancesAsync(db, [lot.Id], countedAt.AddTicks(1), ct))[lot.Id];
        var now = clock.GetUtcNow().UtcDateTime;
        var count = StockCount.Record(lot, request.CountedMg!.Value, expected, countedAt, request.Note, request.WitnessUserName!, user, now);
        db.StockCounts.Add(count);
        var discrepancy = count.DifferenceUg == 0 ? null : StockDiscrepancy.Open(count, now);
        if (discrepancy is not null)
        {
            db.StockDiscrepancies.Add(discrepancy);
        }

        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/stock/counts/{count.Id}", CountResponse.From(count, discrepancy));
    }

    /// <param name="countId">The count's id.</param>
    private static async Task<Results<Ok<CountResponse>, ProblemHttpResult>> GetCount(Guid countId, ClinicDbContext db, CancellationToken ct)
    {
        var count = await db.StockCounts.AsNoTracking().FirstOrDefaultAsync(c => c.Id == countId, ct);
        if (count is null)
        {
            return Problems.NotFound("count", countId);
        }

        var discrepancy = await db.StockDiscrepancies.AsNoTracking().FirstOrDefaultAsync(d => d.CountId == countId, ct);
        return TypedResults.Ok(CountResponse.From(count, discrepancy));
    }

    /// <param name="status">open or resolved; both when absent.</param>
    /// <param name="siteId">Only this site's (one of yours); default, all your sites.</param>
    private static async Task<Results<Ok<Page<DiscrepancyResponse>>, ValidationProblem, ProblemHttpResult>> ListDiscrepancies(
        ClinicDbContext db, QueryValues values, CancellationToken ct, [QueryEnum(typeof(DiscrepancyStatus))] string? status = null, Guid? siteId = null,
        int? limit = null, string? cursor = null)
    {
        if (Paging.TryRead(limit, cursor, out var pageSize, out var position) is { } invalid)
        {
            return invalid;
        }

        if (!values.TryEnum<DiscrepancyStatus>(status, out var statusFilter))
        {
            return Problems.Validation("status", "status must be one of open, resolved.");
        }

        var (scope, refusal) = SiteAccess.ListScope(db, siteId);
        if (scope is null)
        {
            return refusal!;
        }

        var query = db.StockDiscrepancies.AsNoTracking().Where(d => scope.AllSites || scope.SiteIds.Contains(d.SiteId));
        query = statusFilter switch
        {
            DiscrepancyStatus.Open => query.Where(d => d.ResolvedAt == null),
            DiscrepancyStatus.Resolved => query.Where(d => d.ResolvedAt != null),
            _ => query,
        };
        var (page, invalidCursor) = await Paging.ByRecordingOrderAsync(query, position, pageSize, DiscrepancyResponse.From, newestFirst: true, ct);
        return invalidCursor is null ? TypedResults.Ok(page!) : invalidCursor;
    }

    /// <param name="discrepancyId">The discrepancy's id.</param>
    private static async Task<Results<Ok<DiscrepancyResponse>, ProblemHttpResult>> GetDiscrepancy(Guid discrepancyId, ClinicDbContext db, CancellationToken ct)
    {
        var discrepancy = await db.StockDiscrepancies.AsNoTracking().FirstOrDefaultAsync(d => d.Id == discrepancyId, ct);
        return discrepancy is null ? Problems.NotFound("discrepancy", discrepancyId) : TypedResults.Ok(DiscrepancyResponse.From(discrepancy));
    }

    /// <param name="discrepancyId">The discrepancy's id.</param>
    private static async Task<Results<Ok<DiscrepancyResponse>, ProblemHttpResult>> ResolveDiscrepancy(
        Guid discrepancyId, ResolveDiscrepancyRequest request, ClinicDbContext db, TimeProvider clock, HttpContext http, CancellationToken ct)
    {
        var discrepancy = await db.StockDiscrepancies.FirstOrDefaultAsync(d => d.Id == discrepancyId, ct);
        if (discrepancy is null)
        {
            return Problems.NotFound("discrepancy", discrepancyId);
        }

        if (discrepancy.Resolve(request.Resolution!.Value, request.Reason!, request.ReportedToDea, http.User.UserName(), clock.GetUtcNow().UtcDateTime) is { } refused)
        {
            return refused.ToProblem();
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Problems.Conflict("stock.concurrent-change", "The discrepancy changed meanwhile.",
                $"Another prescriber resolved discrepancy {discrepancyId} at the same moment; read it again.");
        }

        return TypedResults.Ok(DiscrepancyResponse.From(discrepancy));
    }

    private static async Task<LotResponse> LotAsync(ClinicDbContext db, StockLot lot, TimeProvider clock, CancellationToken ct) =>
        (await LotsAsync(db, [lot], clock, ct))[lot.Id];

    /// <summary>
    /// The lots with their balances, expiry at each site's today and open discrepancies: a few queries for any number of
    /// lots; <paramref name="figures"/> when the caller already computed them for (at least) these lots.
    /// </summary>
    private static async Task<Dictionary<Guid, LotResponse>> LotsAsync(
        ClinicDbContext db, IReadOnlyList<StockLot> lots, TimeProvider clock, CancellationToken ct, LotFigures? figures = null)
    {
        figures ??= await FiguresAsync(db, [.. lots.Select(l => l.Id)], ct);
        var siteIds = lots.Select(l => l.SiteId).Distinct().ToList();
        var zones = await db.Sites.AsNoTracking().Where(s => siteIds.Contains(s.Id)).ToDictionaryAsync(s => s.Id, s => s.TimeZone, ct);
        return lots.ToDictionary(l => l.Id, l =>
            LotResponse.From(l, figures.Balances[l.Id], ClinicTime.Today(clock, zones[l.SiteId]), figures.Open.GetValueOrDefault(l.Id)));
    }

    /// <summary>Lots' balances (from everything recorded) and their open discrepancies by count.</summary>
    private sealed record LotFigures(IReadOnlyDictionary<Guid, long> Balances, Dictionary<Guid, int> Open);

    private static async Task<LotFigures> FiguresAsync(ClinicDbContext db, List<Guid> lotIds, CancellationToken ct) => new(
        await StockLedger.BalancesAsync(db, lotIds, StockLedger.EndOfTime, ct),
        await db.StockDiscrepancies.Where(d => lotIds.Contains(d.LotId) && d.ResolvedAt == null)
            .GroupBy(d => d.LotId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct));

    internal static async Task<string> SiteZoneAsync(ClinicDbContext db, Guid siteId, CancellationToken ct) =>
        await db.Sites.AsNoTracking().Where(s => s.Id == siteId).Select(s => s.TimeZone).FirstAsync(ct);
}
