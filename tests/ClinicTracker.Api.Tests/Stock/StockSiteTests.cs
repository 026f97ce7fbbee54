using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Stock;

/// <summary>
/// Stock is kept per site (domain.md §12, §14): another site's staff get 404 for each of its stock records, lists and
/// the reconciliation without them, 403 for naming the site, and a dose at their own site cannot draw on its lots.
/// The site's own staff reach everything. (CrossSiteAccessTests lists the stock routes here.)
/// </summary>
public sealed class StockSiteTests(StockApiFactory factory) : IClassFixture<StockApiFactory>
{
    [Fact]
    public async Task AnotherSitesStaff_SeeNoneOfASitesStock_AndCannotDrawOnIt()
    {
        var admin = factory.ClientFor("stock.group-admin", "admin");
        var (a, b) = (await SiteData.Create(admin, "Stock A", "America/New_York"), await SiteData.Create(admin, "Stock B", "America/Chicago"));
        HttpClient At(Guid site, string role) => factory.ClientAt($"stock.{site:N}.{role}", role, site);
        var (nurseA, prescriberA) = (At(a, "nurse"), At(a, "prescriber"));
        var (nurseB, prescriberB) = (At(b, "nurse"), At(b, "prescriber"));
        var witnessB = $"stock.{b:N}.prescriber";

        // Site B receives, doses from, counts (5 mg short) and disposes of its lot.
        var number = StockData.NewLot();
        var receipt = await StockData.Receive(nurseB, number, 500m, witness: witnessB);
        var lotId = receipt["lotId"]!.GetValue<Guid>();
        var count = await (await nurseB.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/counts",
            new { countedMg = 495m, countedAt = DateTimeOffset.UtcNow, witnessUserName = witnessB }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        var disposal = await (await nurseB.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/disposals",
            new { kind = "returned", amountMg = 10m, disposedAt = DateTimeOffset.UtcNow, reason = "Recall.", witnessUserName = witnessB })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        var discrepancyId = count["discrepancy"]!["id"]!.GetValue<Guid>();
        string[] records =
        [
            $"/api/v1/stock/lots/{lotId}", $"/api/v1/stock/lots/{lotId}/ledger", $"/api/v1/stock/receipts/{receipt["id"]}",
            $"/api/v1/stock/counts/{count["id"]}", $"/api/v1/stock/disposals/{disposal["id"]}", $"/api/v1/stock/discrepancies/{discrepancyId}",
        ];

        // Site A: 404 for each record, as for an id that never existed; its lists and reconciliation leave B's lot out.
        foreach (var path in records)
        {
            await (await nurseA.GetAsync(path)).AssertProblem(HttpStatusCode.NotFound, "not-found");
        }

        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var period = $"from={today.AddDays(-3):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}";
        Assert.DoesNotContain(lotId.ToString(), await (await nurseA.GetAsync("/api/v1/stock/lots?includeEmpty=true&limit=200")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(discrepancyId.ToString(), await (await nurseA.GetAsync("/api/v1/stock/discrepancies?limit=200")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(lotId.ToString(), await (await prescriberA.GetAsync($"/api/v1/stock/reconciliation?{period}")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
        await (await nurseA.GetAsync($"/api/v1/stock/lots?siteId={b}")).AssertProblem(HttpStatusCode.Forbidden, "site.not-assigned");
        await (await prescriberA.GetAsync($"/api/v1/stock/reconciliation?{period}&siteId={b}")).AssertProblem(HttpStatusCode.Forbidden, "site.not-assigned");
        await (await nurseA.PostAsJsonAsync("/api/v1/stock/receipts", StockData.ReceiptBody(StockData.NewLot(), 100m, witness: $"stock.{a:N}.prescriber", siteId: b)))
            .AssertProblem(HttpStatusCode.Forbidden, "site.not-assigned");
        await (await nurseA.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/counts",
            new { countedMg = 0m, countedAt = DateTimeOffset.UtcNow, witnessUserName = $"stock.{a:N}.prescriber" })).AssertProblem(HttpStatusCode.NotFound, "not-found");
        await (await nurseA.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/disposals",
            new { kind = "destroyed", amountMg = 1m, disposedAt = DateTimeOffset.UtcNow, reason = "x", witnessUserName = $"stock.{a:N}.prescriber" }))
            .AssertProblem(HttpStatusCode.NotFound, "not-found");
        await (await prescriberA.PostAsJsonAsync($"/api/v1/stock/discrepancies/{discrepancyId}/resolve", new { resolution = "adjusted", reason = "x" }))
            .AssertProblem(HttpStatusCode.NotFound, "not-found");

        // A session at site A naming B's lot number: site A holds no such lot.
        var dataA = new TreatmentData(At(a, "front-desk"), nurseA, prescriberA);
        var patientA = (await PatientData.Register(dataA.FrontDesk, PatientData.NewPatient()))["id"]!.GetValue<Guid>();
        var sessionA = await dataA.Session(patientA, (await dataA.Plan(patientA))["id"]!.GetValue<Guid>());
        await dataA.CheckIn(sessionA);
        await (await nurseA.PostAsJsonAsync($"/api/v1/sessions/{sessionA}/doses", StockData.FromLot(TreatmentData.Iv(35m), number)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "stock.unknown-lot");

        // Site B's own staff reach every record; nothing of A's calls changed it (500 − 10 = 490, the discrepancy still open).
        foreach (var path in records)
        {
            await nurseB.GetAsync(path).EnsureStatus(HttpStatusCode.OK);
        }

        var lot = await StockData.Lot(nurseB, lotId);
        Assert.Equal((490m, 1), (StockData.Balance(lot), lot["openDiscrepancies"]!.GetValue<int>()));
        var line = Assert.Single((await (await prescriberB.GetAsync($"/api/v1/stock/reconciliation?{period}")).ReadObject())["lots"]!.AsArray())!.AsObject();
        Assert.Equal(lotId, line["lotId"]!.GetValue<Guid>());
        await prescriberB.PostAsJsonAsync($"/api/v1/stock/discrepancies/{discrepancyId}/resolve", new { resolution = "adjusted", reason = "Spill." })
            .EnsureStatus(HttpStatusCode.OK);
    }
}
