using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Outcomes;

namespace ClinicTracker.Core.Tests.Outcomes;

public sealed class ClinicOutcomeBandsTests
{
    // Rows: IV session totals (mg) at 70 kg, expected median mg/kg, expected band.
    public static TheoryData<decimal[], decimal, string> IvBands => new()
    {
        // 35 / 70 = 0.5 exactly → the lowest band includes its edge (domain.md §13: ≤ 0.5).
        { [35m], 0.5m, ClinicOutcomeBands.IvUpTo05 },
        // 35.07 / 70 = 0.501 → just above 0.5: middle band.
        { [35.07m], 0.501m, ClinicOutcomeBands.Iv05To075 },
        // 52.5 / 70 = 0.75 exactly → the middle band includes 0.75 (§13: > 0.75 is the top band).
        { [52.5m], 0.75m, ClinicOutcomeBands.Iv05To075 },
        // 53.2 / 70 = 0.76 → top band.
        { [53.2m], 0.76m, ClinicOutcomeBands.IvAbove075 },
        // Even count: 0.5, 0.5, 0.75, 0.75 → (0.5 + 0.75) / 2 = 0.625 → middle.
        { [35m, 35m, 52.5m, 52.5m], 0.625m, ClinicOutcomeBands.Iv05To075 },
        // Even count whose middle pair averages to the edge: 0.4, 0.5, 0.5, 0.8 → (0.5 + 0.5) / 2 = 0.5 → lowest.
        { [28m, 35m, 35m, 56m], 0.5m, ClinicOutcomeBands.IvUpTo05 },
        // Odd count, unordered input: 0.8, 0.4, 0.76 → sorted 0.4, 0.76, 0.8 → 0.76 → top.
        { [56m, 28m, 53.2m], 0.76m, ClinicOutcomeBands.IvAbove075 },
        // Even count: 0.7, 0.8 → 0.75 exactly → middle.
        { [49m, 56m], 0.75m, ClinicOutcomeBands.Iv05To075 },
    };

    [Theory]
    [MemberData(nameof(IvBands))]
    public void IvPlan_MedianMgPerKgOfItsSessions_DecidesTheBand(decimal[] totals, decimal median, string band)
    {
        var sessions = totals.Select(t => new ClinicOutcomeSession(t, 70m));

        var actual = ClinicOutcomeBands.MedianSessionDose(Medication.Ketamine, AdministrationRoute.Intravenous, sessions);

        Assert.Equal(median, actual);
        Assert.Equal(band, ClinicOutcomeBands.DoseBand(Medication.Ketamine, AdministrationRoute.Intravenous, actual));
    }

    [Fact]
    public void IvPlan_UsesEachSessionsOwnWeight()
    {
        // 40 mg at 80 kg = 0.5; 40 mg at 50 kg = 0.8 → median (0.5 + 0.8) / 2 = 0.65 → middle band.
        // (Pooling would give 80 mg / 130 kg = 0.615…: same band here, but not the rule.)
        var median = ClinicOutcomeBands.MedianSessionDose(Medication.Ketamine, AdministrationRoute.Intravenous,
            [new(40m, 80m), new(40m, 50m)]);

        Assert.Equal(0.65m, median);
    }

    // Rows: esketamine session totals (mg), expected median, expected band.
    public static TheoryData<decimal[], decimal, string> EsketamineBands => new()
    {
        // 56, 56, 84 → 56 → 56 mg band.
        { [56m, 84m, 56m], 56m, ClinicOutcomeBands.Esketamine56 },
        // 56, 84, 84 → 84 → 84 mg band.
        { [84m, 56m, 84m], 84m, ClinicOutcomeBands.Esketamine84 },
        // Even split 56, 84 → 70: not "mostly 84" → 56 mg band.
        { [56m, 84m], 70m, ClinicOutcomeBands.Esketamine56 },
        // 28 mg (from age 65) → 56 mg band (the lower one).
        { [28m, 28m, 56m], 28m, ClinicOutcomeBands.Esketamine56 },
        // 56, 84, 84, 84 → (84 + 84) / 2 = 84 → 84 mg band.
        { [56m, 84m, 84m, 84m], 84m, ClinicOutcomeBands.Esketamine84 },
    };

    [Theory]
    [MemberData(nameof(EsketamineBands))]
    public void EsketaminePlan_MedianSessionTotal_DecidesTheBand(decimal[] totals, decimal median, string band)
    {
        // The weight plays no part for esketamine (fixed doses): null weights must not matter.
        var sessions = totals.Select(t => new ClinicOutcomeSession(t, null));

        var actual = ClinicOutcomeBands.MedianSessionDose(Medication.Esketamine, AdministrationRoute.Intranasal, sessions);

        Assert.Equal(median, actual);
        Assert.Equal(band, ClinicOutcomeBands.DoseBand(Medication.Esketamine, AdministrationRoute.Intranasal, actual));
    }

    [Fact]
    public void PlanWithoutDosedSession_IsUnknown_AndOtherRoutesAreNotBanded()
    {
        Assert.Null(ClinicOutcomeBands.MedianSessionDose(Medication.Ketamine, AdministrationRoute.Intravenous, []));
        Assert.Equal(ClinicOutcomeBands.Unknown, ClinicOutcomeBands.DoseBand(Medication.Ketamine, AdministrationRoute.Intravenous, null));
        Assert.Equal(ClinicOutcomeBands.Unknown, ClinicOutcomeBands.DoseBand(Medication.Esketamine, AdministrationRoute.Intranasal, null));
        // §13 has bands for IV ketamine and esketamine only: oral 150 mg is "not banded", never dropped or guessed.
        Assert.Null(ClinicOutcomeBands.MedianSessionDose(Medication.Ketamine, AdministrationRoute.Oral, [new(150m, 70m)]));
        Assert.Equal(ClinicOutcomeBands.NotBanded, ClinicOutcomeBands.DoseBand(Medication.Ketamine, AdministrationRoute.Oral, null));
        Assert.Equal(ClinicOutcomeBands.NotBanded, ClinicOutcomeBands.DoseBand(Medication.Ketamine, AdministrationRoute.Intranasal, 50m));
    }

    // Rows: adherence rate, expected band. domain.md §13: ≥ 0.8, 0.5–0.8, < 0.5.
    public static TheoryData<decimal?, string> AdherenceBands => new()
    {
        { 1m, ClinicOutcomeBands.AdherenceAtLeast08 },
        // 0.8 exactly is in the top band (≥ 0.8).
        { 0.8m, ClinicOutcomeBands.AdherenceAtLeast08 },
        // 0.7999 (4 decimals, the calculator's precision) is below it.
        { 0.7999m, ClinicOutcomeBands.Adherence05To08 },
        // 0.5 exactly is the middle band's lower edge (< 0.5 is the lowest).
        { 0.5m, ClinicOutcomeBands.Adherence05To08 },
        { 0.4999m, ClinicOutcomeBands.AdherenceBelow05 },
        { 0m, ClinicOutcomeBands.AdherenceBelow05 },
        // Nothing due yet: no rate → unknown.
        { null, ClinicOutcomeBands.Unknown },
    };

    [Theory]
    [MemberData(nameof(AdherenceBands))]
    public void AdherenceRate_FallsInItsBand(decimal? rate, string band) =>
        Assert.Equal(band, ClinicOutcomeBands.AdherenceBand(rate));

    [Fact]
    public void Median_OddEvenAndEmpty()
    {
        // 3, 1, 2 → 2; 4, 1, 3, 2 → (2 + 3) / 2 = 2.5; nothing → null.
        Assert.Equal(2m, ClinicOutcomeBands.Median([3m, 1m, 2m]));
        Assert.Equal(2.5m, ClinicOutcomeBands.Median([4m, 1m, 3m, 2m]));
        Assert.Null(ClinicOutcomeBands.Median([]));
    }
}
