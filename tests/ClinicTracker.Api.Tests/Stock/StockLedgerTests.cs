using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Stock;

/// <summary>
/// One lot's whole life through the API, with the ledger worked out by hand (domain.md §12: balance = received −
/// standing doses − waste − disposals ± count adjustments): a receipt, two doses, waste, a void that returns its
/// dose, a destruction, a count that is 5 mg short, its resolution, and the reconciliation of the period as JSON and CSV.
/// </summary>
public sealed class StockLedgerTests(StockApiFactory factory) : IClassFixture<StockApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task Receipt_Doses_Void_Waste_Disposal_Count_AndResolution_GiveTheHandComputedLedger()
    {
        var nurse = data.Nurse;
        var prescriber = data.Prescriber;
        var admin = factory.ClientFor("stock.admin", "admin");
        var number = StockData.NewLot();
        // 1,000 mg received two days ago.
        var receipt = await StockData.Receive(nurse, number, 1000m);
        var lotId = receipt["lotId"]!.GetValue<Guid>();
        Assert.Equal(1000m, StockData.Balance(receipt["lot"]!.AsObject()));

        // Patient A: 35 mg at 70 kg (0.5 mg/kg); patient B: 40 mg at 80 kg (0.5 mg/kg). 1000 − 35 − 40 = 925.
        var (_, _, sessionA) = await data.CheckedInSession();
        var (_, _, sessionB) = await data.CheckedInSession(weightKg: 80m);
        var doseA = await (await nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionA}/doses", StockData.FromLot(TreatmentData.Iv(35m), number))
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal(lotId, doseA["lotId"]!.GetValue<Guid>());
        await nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionB}/doses", StockData.FromLot(TreatmentData.Iv(40m), number)).EnsureStatus(HttpStatusCode.Created);
        Assert.Equal(925m, StockData.Balance(await StockData.Lot(nurse, lotId)));

        // 15 mg wasted from session A, witnessed by the prescriber, who gave no dose there: 925 − 15 = 910.
        var waste = await (await nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionA}/waste", new
        {
            amountMg = 15m, witnessUserName = "dr.patel", wastedAt = TreatmentData.CheckInTime.AddMinutes(60), lotNumber = number.ToLowerInvariant(),
        }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal(lotId, waste["lotId"]!.GetValue<Guid>()); // The lot is named as printed, in any case.
        Assert.Equal(910m, StockData.Balance(await StockData.Lot(nurse, lotId)));

        // Dose A was entered in error: voiding it returns its 35 mg. 910 + 35 = 945.
        await prescriber.PostAsJsonAsync($"/api/v1/doses/{doseA["id"]}/void", new { reason = "Recorded on the wrong patient." }).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(945m, StockData.Balance(await StockData.Lot(nurse, lotId)));

        // 100 mg destroyed (a cracked vial) 30 minutes ago: 945 − 100 = 845.
        var disposal = await (await nurse.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/disposals", new
        {
            kind = "destroyed", amountMg = 100m, disposedAt = DateTimeOffset.UtcNow.AddMinutes(-30), reason = "Cracked vial.",
            reference = "F41-2026-0012", witnessUserName = "dr.patel",
        }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal("destroyed", disposal["kind"]!.GetValue<string>());
        Assert.Equal(845m, StockData.Balance(await StockData.Lot(nurse, lotId)));

        // The shelf holds 840 mg: 5 mg short of the ledger's 845, so the count opens a discrepancy of −5.
        var count = await (await nurse.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/counts", new
        {
            countedMg = 840m, countedAt = DateTimeOffset.UtcNow.AddMinutes(-10), witnessUserName = "dr.patel",
        }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal(845m, count["expectedMg"]!.GetValue<decimal>());
        Assert.Equal(-5m, count["differenceMg"]!.GetValue<decimal>());
        var discrepancy = count["discrepancy"]!.AsObject();
        Assert.Equal(-5m, discrepancy["amountMg"]!.GetValue<decimal>());
        Assert.Equal("open", discrepancy["status"]!.GetValue<string>());
        var lot = await StockData.Lot(nurse, lotId);
        Assert.Equal((845m, 1), (StockData.Balance(lot), lot["openDiscrepancies"]!.GetValue<int>()));

        var zone = await SiteZone(admin);
        DateOnly Local(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime);
        var today = Local(DateTimeOffset.UtcNow);
        var (from, to) = (Local(DateTimeOffset.UtcNow.AddDays(-3)), today);
        var open = Line(await Reconcile(prescriber, from, to), lotId);
        var flagged = Assert.Single(open["openDiscrepancies"]!.AsArray())!.AsObject();
        Assert.Equal(("count", -5m), (flagged["kind"]!.GetValue<string>(), flagged["amountMg"]!.GetValue<decimal>()));

        // A nurse may not resolve; the prescriber adjusts the balance to the count: 845 − 5 = 840.
        await (await nurse.PostAsJsonAsync($"/api/v1/stock/discrepancies/{discrepancy["id"]}/resolve",
            new { resolution = "adjusted", reason = "Spill during draw-up." })).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
        var resolved = await (await prescriber.PostAsJsonAsync($"/api/v1/stock/discrepancies/{discrepancy["id"]}/resolve",
            new { resolution = "adjusted", reason = "Spill during draw-up, not recorded as waste.", reportedToDea = false })
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Equal(("resolved", -5m, "dr.patel"), (resolved["status"]!.GetValue<string>(), resolved["adjustmentMg"]!.GetValue<decimal>(),
            resolved["resolvedBy"]!.GetValue<string>()));
        lot = await StockData.Lot(nurse, lotId);
        Assert.Equal((840m, 0), (StockData.Balance(lot), lot["openDiscrepancies"]!.GetValue<int>()));
        await (await prescriber.PostAsJsonAsync($"/api/v1/stock/discrepancies/{discrepancy["id"]}/resolve",
            new { resolution = "records-corrected", reason = "Again." })).AssertProblem(HttpStatusCode.Conflict, "stock.discrepancy-resolved");

        // The whole period (from three days ago): opening 0; in 1,000; one standing administration of 40 (A was voided);
        // waste 15; disposed 100; adjusted −5; closing 0 + 1000 − 40 − 15 − 100 − 5 = 840. Nothing open.
        var whole = Line(await Reconcile(admin, from, to), lotId);
        Assert.Equal([0m, 1000m, 40m, 15m, 100m, -5m, 840m],
            new[] { "openingMg", "receivedMg", "administeredMg", "wastedMg", "disposedMg", "adjustedMg", "closingMg" }.Select(k => whole[k]!.GetValue<decimal>()));
        Assert.Equal(1, whole["administrations"]!.GetValue<int>());
        Assert.Empty(whole["openDiscrepancies"]!.AsArray());

        // From the day of the doses: the receipt (two days before) is in the opening balance, 1,000; the closing is the same 840.
        var doseDay = Local(TreatmentData.CheckInTime.AddMinutes(10));
        var later = Line(await Reconcile(admin, doseDay, to), lotId);
        Assert.Equal([1000m, 0m, 40m, 840m], new[] { "openingMg", "receivedMg", "administeredMg", "closingMg" }.Select(k => later[k]!.GetValue<decimal>()));

        // The same figures as CSV, one row for the lot.
        var csvRequest = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/stock/reconciliation?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        csvRequest.Headers.Accept.ParseAdd("text/csv");
        var csvResponse = await admin.SendAsync(csvRequest);
        Assert.Equal(HttpStatusCode.OK, csvResponse.StatusCode);
        Assert.Equal("text/csv", csvResponse.Content.Headers.ContentType?.MediaType);
        var rows = (await csvResponse.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("site_id,lot_id,lot_number,medication,form,strength,strength_unit,expires_on,opening_mg,received_mg,administered_mg,", rows[0]);
        var row = Assert.Single(rows, r => r.Contains(lotId.ToString(), StringComparison.Ordinal));
        Assert.EndsWith($",{number},ketamine,vial,50.00,mg/mL,{DateOnly.FromDateTime(DateTime.UtcNow).AddYears(1):yyyy-MM-dd},0.00,1000.00,40.00,1,15.00,100.00,-5.00,840.00,0,0.00", row);

        // The ledger, entry by entry, with the balance after each.
        var ledger = await (await nurse.GetAsync($"/api/v1/stock/lots/{lotId}/ledger").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        var entries = ledger["entries"]!.AsArray().Select(e => (e!["kind"]!.GetValue<string>(), e["changeMg"]!.GetValue<decimal>(), e["balanceMg"]!.GetValue<decimal>()));
        Assert.Equal([("receipt", 1000m, 1000m), ("administration", -40m, 960m), ("waste", -15m, 945m), ("disposal", -100m, 845m), ("adjustment", -5m, 840m)], entries);
        Assert.Equal((0m, 840m), (ledger["openingMg"]!.GetValue<decimal>(), ledger["closingMg"]!.GetValue<decimal>()));
    }

    [Fact]
    public async Task ACountThatMatches_OpensNothing_AndACountWhileOneIsOpen_IsRefused()
    {
        var number = StockData.NewLot();
        var lotId = (await StockData.Receive(data.Nurse, number, 500m))["lotId"]!.GetValue<Guid>();
        var matched = await (await data.Nurse.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/counts",
            new { countedMg = 500m, countedAt = DateTimeOffset.UtcNow.AddMinutes(-1), witnessUserName = "dr.patel" }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Null(matched["discrepancy"]);

        // 20 mg more on the shelf than recorded (a receipt not entered): a discrepancy of +20.
        var over = await (await data.Nurse.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/counts",
            new { countedMg = 520m, countedAt = DateTimeOffset.UtcNow.AddMinutes(-1), witnessUserName = "dr.patel" }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal(20m, over["discrepancy"]!["amountMg"]!.GetValue<decimal>());
        // A second count would find the same 20 mg again, and two adjustments would add it twice.
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/counts",
            new { countedMg = 520m, countedAt = DateTimeOffset.UtcNow.AddMinutes(-1), witnessUserName = "dr.patel" })).AssertProblem(HttpStatusCode.Conflict, "stock.discrepancy-open");

        // Resolved as corrected records: no adjustment, the balance stays 500.
        var resolved = await (await data.Prescriber.PostAsJsonAsync($"/api/v1/stock/discrepancies/{over["discrepancy"]!["id"]}/resolve",
            new { resolution = "records-corrected", reason = "Counted a vial of another lot." }).EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Equal(0m, resolved["adjustmentMg"]!.GetValue<decimal>());
        Assert.Equal(500m, StockData.Balance(await StockData.Lot(data.Nurse, lotId)));
        var list = await (await data.Nurse.GetAsync("/api/v1/stock/discrepancies?status=resolved&limit=200").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Contains(list["items"]!.AsArray(), d => d!["id"]!.GetValue<Guid>() == resolved["id"]!.GetValue<Guid>());
    }

    private async Task<TimeZoneInfo> SiteZone(HttpClient client)
    {
        var site = await (await client.GetAsync("/api/v1/sites/00000000-0000-0000-0000-000000000001").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        return TimeZoneInfo.FindSystemTimeZoneById(site["timeZone"]!.GetValue<string>());
    }

    private static async Task<JsonObject> Reconcile(HttpClient client, DateOnly from, DateOnly to) =>
        await (await client.GetAsync($"/api/v1/stock/reconciliation?from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}").EnsureStatus(HttpStatusCode.OK)).ReadObject();

    private static JsonObject Line(JsonObject reconciliation, Guid lotId) =>
        Assert.Single(reconciliation["lots"]!.AsArray(), l => l!["lotId"]!.GetValue<Guid>() == lotId)!.AsObject();
}
