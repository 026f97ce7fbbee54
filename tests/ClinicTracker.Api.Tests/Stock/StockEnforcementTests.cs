using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Stock;

/// <summary>
/// With the shipped setting (Stock:Enforce on), a dose or waste draws on a lot the session's site holds (domain.md §12):
/// an unknown lot, a lot of another product, an expired lot or more than the lot holds is refused, and nothing is
/// stored; two doses racing for a lot's last milligrams cannot both be recorded.
/// </summary>
public sealed class StockEnforcementTests(StockApiFactory factory) : IClassFixture<StockApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task ADose_OnALotTheSiteNeverReceived_IsRefused_AndNothingIsStored()
    {
        var (_, _, sessionId) = await data.CheckedInSession();

        var refused = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/doses",
            StockData.FromLot(TreatmentData.Iv(35m), StockData.NewLot()))).AssertProblem(HttpStatusCode.UnprocessableEntity, "stock.unknown-lot");

        Assert.Contains("record the receipt first", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var doses = await (await data.Nurse.GetAsync($"/api/v1/sessions/{sessionId}/doses").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Empty(doses["items"]!.AsArray());
    }

    [Fact]
    public async Task ADose_LargerThanTheLotsBalance_IsRefused_WithTheBalance()
    {
        var number = StockData.NewLot();
        var lotId = (await StockData.Receive(data.Nurse, number, 30m))["lotId"]!.GetValue<Guid>();
        var (_, _, sessionId) = await data.CheckedInSession();

        var refused = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/doses", StockData.FromLot(TreatmentData.Iv(35m), number)))
            .AssertProblem(HttpStatusCode.Conflict, "stock.insufficient");

        Assert.Equal((lotId, 30m, 35m), (refused["lotId"]!.GetValue<Guid>(), refused["balanceMg"]!.GetValue<decimal>(), refused["requestedMg"]!.GetValue<decimal>()));
        Assert.Equal(30m, StockData.Balance(await StockData.Lot(data.Nurse, lotId)));
        // Exactly the balance is allowed: 30 of 30.
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/doses", StockData.FromLot(TreatmentData.Iv(30m), number)).EnsureStatus(HttpStatusCode.Created);
        Assert.Equal(0m, StockData.Balance(await StockData.Lot(data.Nurse, lotId)));
    }

    [Fact]
    public async Task AnExpiredLot_CannotBeGiven_ButCanBeDestroyed()
    {
        var number = StockData.NewLot();
        // Received 30 days ago, last day of use two days ago.
        var lotId = (await StockData.Receive(data.Nurse, number, 500m, expiresOn: DateOnly.FromDateTime(DateTime.UtcNow).AddDays(-2),
            receivedAt: DateTimeOffset.UtcNow.AddDays(-30)))["lotId"]!.GetValue<Guid>();
        var (_, _, sessionId) = await data.CheckedInSession();

        var refused = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/doses", StockData.FromLot(TreatmentData.Iv(35m), number)))
            .AssertProblem(HttpStatusCode.Conflict, "stock.expired");
        Assert.Equal(lotId, refused["lotId"]!.GetValue<Guid>());
        Assert.True((await StockData.Lot(data.Nurse, lotId))["expired"]!.GetValue<bool>());

        await data.Nurse.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/disposals", new
        {
            kind = "returned", amountMg = 500m, disposedAt = DateTimeOffset.UtcNow.AddMinutes(-5), reason = "Expired.", witnessUserName = "dr.patel",
        }).EnsureStatus(HttpStatusCode.Created);
        Assert.Equal(0m, StockData.Balance(await StockData.Lot(data.Nurse, lotId)));
    }

    [Fact]
    public async Task ALotOfAnotherProduct_IsRefused()
    {
        // Esketamine devices and an oral solution: neither is an IV ketamine infusion.
        var devices = StockData.NewLot("SPR");
        await StockData.Receive(data.Nurse, devices, 560m, medication: "esketamine", form: "nasal-spray-device", strength: 28m);
        var solution = StockData.NewLot("PO");
        await StockData.Receive(data.Nurse, solution, 1000m, form: "oral-solution", strength: 10m);
        var (_, _, sessionId) = await data.CheckedInSession();

        foreach (var lot in new[] { devices, solution })
        {
            await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/doses", StockData.FromLot(TreatmentData.Iv(35m), lot)))
                .AssertProblem(HttpStatusCode.UnprocessableEntity, "stock.lot-mismatch");
        }

        // The esketamine devices serve an esketamine session.
        var (_, _, esketamineSession) = await data.CheckedInSession(medication: "esketamine", route: "intranasal");
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{esketamineSession}/doses", StockData.FromLot(TreatmentData.Esketamine(2), devices))
            .EnsureStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Waste_NamesALot_AndCannotTakeMoreThanItHolds()
    {
        var number = StockData.NewLot();
        await StockData.Receive(data.Nurse, number, 50m);
        var (_, _, sessionId) = await data.CheckedInSession();
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/doses", StockData.FromLot(TreatmentData.Iv(35m), number)).EnsureStatus(HttpStatusCode.Created);
        object Waste(decimal mg, string? lot) => new { amountMg = mg, witnessUserName = "dr.patel", wastedAt = TreatmentData.CheckInTime.AddMinutes(60), lotNumber = lot };

        await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste", Waste(5m, null))).AssertProblem(HttpStatusCode.UnprocessableEntity, "stock.lot-required");
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste", Waste(16m, number))).AssertProblem(HttpStatusCode.Conflict, "stock.insufficient");
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste", Waste(15m, number)).EnsureStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task TwoDoses_RacingForALotsLastMilligrams_CannotBothBeRecorded()
    {
        // 50 mg on hand; two patients' 35 mg infusions sent at once: one is recorded, the other refused.
        var number = StockData.NewLot();
        var lotId = (await StockData.Receive(data.Nurse, number, 50m))["lotId"]!.GetValue<Guid>();
        var (_, _, first) = await data.CheckedInSession();
        var (_, _, second) = await data.CheckedInSession();

        var answers = await Task.WhenAll(new[] { first, second }.Select(s =>
            data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{s}/doses", StockData.FromLot(TreatmentData.Iv(35m), number))));

        Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], answers.Select(a => a.StatusCode).Order());
        await answers.Single(a => a.StatusCode == HttpStatusCode.Conflict).AssertProblem(HttpStatusCode.Conflict, "stock.insufficient");
        Assert.Equal(15m, StockData.Balance(await StockData.Lot(data.Nurse, lotId)));
    }

    [Fact]
    public async Task Receipts_DisposalsAndCounts_NeedASecondClinician()
    {
        var number = StockData.NewLot();
        // Yourself, the front desk, and nobody the register knows.
        factory.ClientFor("stock.fd", "front-desk");
        foreach (var witness in new[] { "nurse.kim", "stock.fd", "nobody.here" })
        {
            await (await data.Nurse.PostAsJsonAsync("/api/v1/stock/receipts", StockData.ReceiptBody(number, 100m, witness: witness)))
                .AssertProblem(HttpStatusCode.UnprocessableEntity, "stock.witness-invalid");
        }

        var lotId = (await StockData.Receive(data.Nurse, number, 100m))["lotId"]!.GetValue<Guid>();
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/counts",
            new { countedMg = 100m, countedAt = DateTimeOffset.UtcNow, witnessUserName = "NURSE.KIM" })).AssertProblem(HttpStatusCode.UnprocessableEntity, "stock.witness-invalid");
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/disposals",
            new { kind = "destroyed", amountMg = 1m, disposedAt = DateTimeOffset.UtcNow, reason = "x", witnessUserName = "stock.fd" }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "stock.witness-invalid");
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/stock/lots/{lotId}/disposals",
            new { kind = "destroyed", amountMg = 101m, disposedAt = DateTimeOffset.UtcNow, reason = "x", witnessUserName = "dr.patel" }))
            .AssertProblem(HttpStatusCode.Conflict, "stock.insufficient");
        Assert.Equal(100m, StockData.Balance(await StockData.Lot(data.Nurse, lotId)));
    }

    [Fact]
    public async Task ASecondReceiptOfALot_AddsToIt_OnlyWhenItIsTheSameProduct()
    {
        var number = StockData.NewLot();
        var lotId = (await StockData.Receive(data.Nurse, number, 100m))["lotId"]!.GetValue<Guid>();

        var again = await StockData.Receive(data.Nurse, number, 250m);
        Assert.Equal((lotId, 350m), (again["lotId"]!.GetValue<Guid>(), StockData.Balance(again["lot"]!.AsObject())));
        await (await data.Nurse.PostAsJsonAsync("/api/v1/stock/receipts", StockData.ReceiptBody(number, 100m, strength: 100m)))
            .AssertProblem(HttpStatusCode.Conflict, "stock.lot-conflict");
    }

    [Theory]
    [InlineData("esketamine", "vial", 50, 100, "form")]
    [InlineData("esketamine", "nasal-spray-device", 30, 90, "strength")]
    [InlineData("esketamine", "nasal-spray-device", 28, 100, "quantityMg")]
    [InlineData("ketamine", "vial", 50, 0, "quantityMg")]
    public async Task AReceiptThatCannotBeTrue_IsA400(string medication, string form, decimal strength, decimal quantity, string field)
    {
        var response = await data.Nurse.PostAsJsonAsync("/api/v1/stock/receipts",
            StockData.ReceiptBody(StockData.NewLot(), quantity, medication: medication, form: form, strength: strength));

        await response.AssertValidationError(field);
    }
}
