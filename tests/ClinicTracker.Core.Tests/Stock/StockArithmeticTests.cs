using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Stock;

namespace ClinicTracker.Core.Tests.Stock;

/// <summary>The ledger's arithmetic and the product rules of domain.md §12 and §2, with expectations worked out by hand.</summary>
public sealed class StockArithmeticTests
{
    [Theory]
    // received, administered, wasted, disposed, adjusted → balance (µg)
    [InlineData(1_000_000, 40_000, 15_000, 100_000, -5_000, 840_000)] // 1000 − 40 − 15 − 100 − 5 = 840 mg
    [InlineData(30_000, 35_000, 0, 0, 0, -5_000)]                      // more given than received: −5 mg
    [InlineData(500_000, 0, 0, 0, 20_000, 520_000)]                    // an adjustment up: 500 + 20
    [InlineData(0, 0, 0, 0, 0, 0)]
    public void Balance_IsReceivedLessWhatLeft_PlusSignedAdjustments(long received, long administered, long wasted, long disposed, long adjusted, long balance) =>
        Assert.Equal(balance, LotMovements.Balance(received, administered, wasted, disposed, adjusted));

    [Fact]
    public void Closing_IsOpeningPlusThePeriod()
    {
        // Opening 1000 mg; in the period: +250 received, −40 given (2 doses), −15 wasted, −100 disposed, −5 adjusted.
        // 1000 + 250 − 40 − 15 − 100 − 5 = 1090 mg.
        var m = new LotMovements(Guid.NewGuid(), 1_000_000, 250_000, 40_000, 2, 15_000, 100_000, -5_000);

        Assert.Equal(1_090_000, m.ClosingUg);
    }

    [Theory]
    [InlineData(StockForm.Vial, AdministrationRoute.Intravenous, true)]
    [InlineData(StockForm.Vial, AdministrationRoute.Intranasal, false)]
    [InlineData(StockForm.NasalSprayDevice, AdministrationRoute.Intranasal, true)]
    [InlineData(StockForm.NasalSpray, AdministrationRoute.Intranasal, true)]
    [InlineData(StockForm.OralSolution, AdministrationRoute.Oral, true)]
    [InlineData(StockForm.OralSolution, AdministrationRoute.Intravenous, false)]
    [InlineData(StockForm.Capsule, AdministrationRoute.Oral, true)]
    [InlineData(StockForm.Troche, AdministrationRoute.Sublingual, true)]
    [InlineData(StockForm.Troche, AdministrationRoute.Oral, false)]
    [InlineData(StockForm.SublingualTablet, AdministrationRoute.Sublingual, true)]
    public void AForm_ServesOnlyItsRoutes(StockForm form, AdministrationRoute route, bool serves) => Assert.Equal(serves, StockForms.Serves(form, route));

    [Theory]
    [InlineData(Medication.Esketamine, StockForm.NasalSprayDevice, true)]
    [InlineData(Medication.Esketamine, StockForm.Vial, false)]
    [InlineData(Medication.Ketamine, StockForm.NasalSprayDevice, false)]
    [InlineData(Medication.Ketamine, StockForm.Troche, true)]
    public void Esketamine_ComesAsTheDeviceOnly(Medication medication, StockForm form, bool holds) => Assert.Equal(holds, StockForms.Holds(medication, form));

    [Fact]
    public void ALot_IsUsableThroughItsExpiryDay_AndExpiredTheDayAfter()
    {
        var lot = StockLot.Create(Guid.NewGuid(), Medication.Ketamine, StockForm.Vial, 50m, " ket-1 ", new DateOnly(2027, 6, 30), null, "nurse.kim", DateTime.UtcNow);

        Assert.False(lot.ExpiredOn(new DateOnly(2027, 6, 30)));
        Assert.True(lot.ExpiredOn(new DateOnly(2027, 7, 1)));
        Assert.Equal(("ket-1", "KET-1"), (lot.LotNumber, lot.LotNumberNormalized));
    }

    [Fact]
    public void ADiscrepancy_AdjustsByItsAmount_OnlyWhenResolvedAsAdjusted()
    {
        var lot = StockLot.Create(Guid.NewGuid(), Medication.Ketamine, StockForm.Vial, 50m, "K", new DateOnly(2027, 6, 30), null, "nurse.kim", DateTime.UtcNow);
        // Counted 840 mg against an expected 845 mg: −5 mg.
        var count = StockCount.Record(lot, 840m, 845_000, DateTime.UtcNow, null, "dr.patel", "nurse.kim", DateTime.UtcNow);
        var adjusted = StockDiscrepancy.Open(count, DateTime.UtcNow);
        var corrected = StockDiscrepancy.Open(count, DateTime.UtcNow);

        Assert.Equal((-5_000, 0), (adjusted.AmountUg, adjusted.AdjustmentUg)); // open: not yet in the ledger
        Assert.Null(adjusted.Resolve(DiscrepancyResolution.Adjusted, "Spill.", false, "dr.patel", DateTime.UtcNow));
        Assert.Null(corrected.Resolve(DiscrepancyResolution.RecordsCorrected, "Wrong lot on a dose.", null, "dr.patel", DateTime.UtcNow));
        Assert.Equal((-5_000, 0), (adjusted.AdjustmentUg, corrected.AdjustmentUg));
        Assert.Equal("stock.discrepancy-resolved", adjusted.Resolve(DiscrepancyResolution.Adjusted, "Again.", false, "dr.patel", DateTime.UtcNow)!.Code);
    }
}
