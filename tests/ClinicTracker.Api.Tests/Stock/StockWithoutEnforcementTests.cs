using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Stock;

/// <summary>
/// A clinic that keeps its stock records elsewhere turns Stock:Enforce off (domain.md §12): doses are recorded
/// without the balance checks, and the ledger still computes the balances of the lots it knows; a negative balance
/// shows as a discrepancy. What protects the patient rather than the books still applies: an expired lot is refused.
/// </summary>
public sealed class StockWithoutEnforcementTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task DosesBeyondTheBalance_AreRecorded_AndTheNegativeBalanceIsADiscrepancy()
    {
        var number = StockData.NewLot();
        var lotId = (await StockData.Receive(data.Nurse, number, 30m))["lotId"]!.GetValue<Guid>();
        var (_, _, sessionId) = await data.CheckedInSession();
        var (_, _, other) = await data.CheckedInSession();

        // 30 received, 35 given from it: −5. A lot number the site never received is recorded as given, with no lot.
        var dose = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/doses", StockData.FromLot(TreatmentData.Iv(35m), number))
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal(lotId, dose["lotId"]!.GetValue<Guid>());
        var elsewhere = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{other}/doses", StockData.FromLot(TreatmentData.Iv(35m), StockData.NewLot()))
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Null(elsewhere["lotId"]);

        var lot = await StockData.Lot(data.Nurse, lotId);
        Assert.Equal((-5m, true), (StockData.Balance(lot), lot["negativeBalance"]!.GetValue<bool>()));
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var reconciliation = await (await data.Prescriber.GetAsync($"/api/v1/stock/reconciliation?from={today.AddDays(-3):yyyy-MM-dd}&to={today.AddDays(1):yyyy-MM-dd}")
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();
        var line = Assert.Single(reconciliation["lots"]!.AsArray(), l => l!["lotId"]!.GetValue<Guid>() == lotId)!;
        Assert.Equal(-5m, line["closingMg"]!.GetValue<decimal>());
        var flagged = Assert.Single(line["openDiscrepancies"]!.AsArray())!;
        Assert.Equal(("negative-balance", -5m), (flagged["kind"]!.GetValue<string>(), flagged["amountMg"]!.GetValue<decimal>()));
        // Waste needs no lot either.
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste",
            new { amountMg = 5m, witnessUserName = "dr.patel", wastedAt = TreatmentData.CheckInTime.AddMinutes(60) }).EnsureStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task AnExpiredLotTheSiteHolds_IsStillRefused()
    {
        var number = StockData.NewLot();
        await StockData.Receive(data.Nurse, number, 500m, expiresOn: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2), receivedAt: DateTimeOffset.UtcNow.AddDays(-30));
        var (_, _, sessionId) = await data.CheckedInSession();

        await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/doses", StockData.FromLot(TreatmentData.Iv(35m), number)))
            .AssertProblem(HttpStatusCode.Conflict, "stock.expired");
    }
}
