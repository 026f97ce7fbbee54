using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Tests.Dosing;

public sealed class DoseLimitCheckerTests
{
    private static readonly DoseLimitsOptions Defaults = new();

    // Rows: session total before, new amount, weight kg, infusion minutes, expected hard code, expected warning codes.
    public static TheoryData<decimal, decimal, decimal, int?, string?, string[]> Intravenous => new()
    {
        // Hard 1.0 × 70 = 70.00 mg; 70.00 is not above it. Soft 0.75 × 70 = 52.50 mg; 70.00 is above → warn.
        { 0m, 70.00m, 70m, 40, null, ["iv.above-usual-mg-per-kg"] },
        // 70.01 > 70.00 → hard; the hard limit wins, no warnings.
        { 0m, 70.01m, 70m, 40, "iv.max-mg-per-kg", [] },
        // 52.50 = 0.75 × 70 exactly → nothing.
        { 0m, 52.50m, 70m, 40, null, [] },
        // 52.51 > 52.50 → soft.
        { 0m, 52.51m, 70m, 40, null, ["iv.above-usual-mg-per-kg"] },
        // Second entry: 50 + 20.01 = 70.01 > 70.00 → hard although 20.01 alone is 0.29 mg/kg.
        { 50m, 20.01m, 70m, 40, "iv.max-mg-per-kg", [] },
        // 50 + 20.00 = 70.00 → not hard, above 52.50 → soft.
        { 50m, 20.00m, 70m, 40, null, ["iv.above-usual-mg-per-kg"] },
        // 0.75 × 70.5 = 52.875 mg. 52.88 > 52.875 → soft, though 52.88 / 70.5 = 0.75007 shows as 0.750.
        { 0m, 52.88m, 70.5m, 40, null, ["iv.above-usual-mg-per-kg"] },
        // 52.87 < 52.875 → nothing.
        { 0m, 52.87m, 70.5m, 40, null, [] },
        // 35 mg = 0.5 mg/kg (Fava 2018 dose) over 29 min: 29 < 30 → too short.
        { 0m, 35m, 70m, 29, null, ["iv.infusion-too-short"] },
        // Over exactly 30 min → nothing.
        { 0m, 35m, 70m, 30, null, [] },
        // Both soft limits at once: 52.51 > 52.50 and 29 < 30.
        { 0m, 52.51m, 70m, 29, null, ["iv.above-usual-mg-per-kg", "iv.infusion-too-short"] },
        // No duration known → only the amount is judged.
        { 0m, 35m, 70m, null, null, [] },
        // Hard wins over a short infusion too.
        { 0m, 70.01m, 70m, 10, "iv.max-mg-per-kg", [] },
    };

    [Theory]
    [MemberData(nameof(Intravenous))]
    public void Check_IntravenousKetamine(decimal before, decimal amount, decimal weight, int? minutes, string? hard, string[] warnings)
    {
        var check = DoseLimitChecker.Check(Defaults, Context(Medication.Ketamine, AdministrationRoute.Intravenous, before, amount, weight, minutes));

        AssertOutcome(check, hard, warnings);
    }

    // Rows: total before, new amount, age, first session of plan, previous completed session total, hard, warnings.
    public static TheoryData<decimal, decimal, int, bool, decimal?, string?, string[]> Esketamine => new()
    {
        // Spravato label: day 1 is 56 mg (28 mg from 65); sessions 56 or 84 mg; 28 mg steps.
        // First session, age 40: 28 ≤ 56 and 56 ≤ 56 → nothing.
        { 0m, 28m, 40, true, null, null, [] },
        { 0m, 56m, 40, true, null, null, [] },
        // Device by device: 28 already given + 28 = 56 → nothing.
        { 28m, 28m, 40, true, null, null, [] },
        // 56 + 28 = 84 > 56 on the first session → warn (not hard: 84 is not above 84).
        { 56m, 28m, 40, true, null, null, ["esketamine.first-session-above-start-dose"] },
        // 56.01 > 56 → warn.
        { 0m, 56.01m, 40, true, null, null, ["esketamine.first-session-above-start-dose"] },
        // Age 64 is below 65: 56 ≤ 56 → nothing.
        { 0m, 56m, 64, true, null, null, [] },
        // Age 65: start dose 28; 56 > 28 → warn.
        { 0m, 56m, 65, true, null, null, ["esketamine.first-session-above-start-dose"] },
        // Age 65: 28 ≤ 28 → nothing; 28.01 > 28 → warn.
        { 0m, 28m, 65, true, null, null, [] },
        { 0m, 28.01m, 65, true, null, null, ["esketamine.first-session-above-start-dose"] },
        // Not the first session, no previous: 84 ≤ 84 → nothing.
        { 0m, 84m, 40, false, null, null, [] },
        // 84 + 28 = 112 > 84 → hard, whatever else.
        { 84m, 28m, 40, false, 84m, "esketamine.max-session-mg", [] },
        { 0m, 112m, 40, true, null, "esketamine.max-session-mg", [] },
        // 84.01 > 84 → hard.
        { 0m, 84.01m, 40, false, 56m, "esketamine.max-session-mg", [] },
        // Increase 56 → 84: 84 − 56 = 28, not above 28 → nothing.
        { 56m, 28m, 40, false, 56m, null, [] },
        // Increase 28 → 84: 84 − 28 = 56 > 28 → warn.
        { 56m, 28m, 40, false, 28m, null, ["esketamine.increase-above-28mg"] },
        // Recording device by device after a 28 mg session: 28 (+0), 56 (+28) pass; 84 (+56) warns.
        { 0m, 28m, 40, false, 28m, null, [] },
        { 28m, 28m, 40, false, 28m, null, [] },
        // Increase boundary: 56.01 − 28 = 28.01 > 28 → warn.
        { 0m, 56.01m, 40, false, 28m, null, ["esketamine.increase-above-28mg"] },
        // Decrease 84 → 56 is not checked → nothing.
        { 0m, 56m, 40, false, 84m, null, [] },
        // Both rules judge independently: 84 > 28 (age 70 start dose) and 84 − 28 = 56 > 28.
        { 0m, 84m, 70, true, 28m, null, ["esketamine.first-session-above-start-dose", "esketamine.increase-above-28mg"] },
    };

    [Theory]
    [MemberData(nameof(Esketamine))]
    public void Check_IntranasalEsketamine(decimal before, decimal amount, int age, bool first, decimal? previous, string? hard, string[] warnings)
    {
        var context = new DoseContext(Medication.Esketamine, AdministrationRoute.Intranasal, before, amount, 70m, null, age, first, previous);

        AssertOutcome(DoseLimitChecker.Check(Defaults, context), hard, warnings);
    }

    // Rows: route, total before, new amount, weight, hard, warnings. Ketamine by the non-IV routes.
    public static TheoryData<AdministrationRoute, decimal, decimal, decimal, string?, string[]> OtherKetamineRoutes => new()
    {
        // Intranasal: soft > 50 mg (Lapidus 2014), hard > 100 mg.
        { AdministrationRoute.Intranasal, 0m, 50m, 70m, null, [] },
        { AdministrationRoute.Intranasal, 0m, 50.01m, 70m, null, ["intranasal-ketamine.above-trial-dose"] },
        { AdministrationRoute.Intranasal, 0m, 100m, 70m, null, ["intranasal-ketamine.above-trial-dose"] },
        { AdministrationRoute.Intranasal, 0m, 100.01m, 70m, "intranasal-ketamine.max-session-mg", [] },
        // Split: 60 + 40.01 = 100.01 > 100 → hard.
        { AdministrationRoute.Intranasal, 60m, 40.01m, 70m, "intranasal-ketamine.max-session-mg", [] },

        // Oral at 70 kg: soft 3.0 × 70 = 210 mg; hard 7.0 × 70 = 490 mg or 300 mg.
        { AdministrationRoute.Oral, 0m, 210m, 70m, null, [] },
        { AdministrationRoute.Oral, 0m, 210.01m, 70m, null, ["oral.above-usual-mg-per-kg"] },
        // 300 ≤ 300 and 300 ≤ 490 → only soft (300 > 210).
        { AdministrationRoute.Oral, 0m, 300m, 70m, null, ["oral.above-usual-mg-per-kg"] },
        // 490 is exactly 7.0 mg/kg, so not over the mg/kg limit, but 490 > 300 mg → hard by mg.
        { AdministrationRoute.Oral, 0m, 490m, 70m, "oral.max-session-mg", [] },
        // 490.01 > 490 and > 300: both breached → the mg/kg one is reported.
        { AdministrationRoute.Oral, 0m, 490.01m, 70m, "oral.max-mg-per-kg", [] },
        // Oral at 40 kg, where 7.0 × 40 = 280 mg is below the 300 mg cap: 280 passes hard (soft 3.0 × 40 = 120 → warn).
        { AdministrationRoute.Oral, 0m, 280m, 40m, null, ["oral.above-usual-mg-per-kg"] },
        // 280.01 > 280 (and < 300) → hard by mg/kg.
        { AdministrationRoute.Oral, 0m, 280.01m, 40m, "oral.max-mg-per-kg", [] },
        // Oral at 50 kg: 300 = 6 mg/kg ≤ 7 and 300 ≤ 300 → not hard; 300 > 3.0 × 50 = 150 → soft.
        { AdministrationRoute.Oral, 0m, 300m, 50m, null, ["oral.above-usual-mg-per-kg"] },
        // 300.01 = 6.0002 mg/kg ≤ 7 (350 mg), but > 300 mg → hard by mg.
        { AdministrationRoute.Oral, 0m, 300.01m, 50m, "oral.max-session-mg", [] },
        // Split: 200 + 100.01 = 300.01 → hard by mg.
        { AdministrationRoute.Oral, 200m, 100.01m, 50m, "oral.max-session-mg", [] },

        // Sublingual: soft > 200 mg, hard > 300 mg.
        { AdministrationRoute.Sublingual, 0m, 200m, 70m, null, [] },
        { AdministrationRoute.Sublingual, 0m, 200.01m, 70m, null, ["sublingual.above-usual-dose"] },
        { AdministrationRoute.Sublingual, 0m, 300m, 70m, null, ["sublingual.above-usual-dose"] },
        { AdministrationRoute.Sublingual, 0m, 300.01m, 70m, "sublingual.max-session-mg", [] },
        { AdministrationRoute.Sublingual, 150m, 150.01m, 70m, "sublingual.max-session-mg", [] },
    };

    [Theory]
    [MemberData(nameof(OtherKetamineRoutes))]
    public void Check_KetamineByOtherRoutes(AdministrationRoute route, decimal before, decimal amount, decimal weight, string? hard, string[] warnings)
    {
        var check = DoseLimitChecker.Check(Defaults, Context(Medication.Ketamine, route, before, amount, weight, null));

        AssertOutcome(check, hard, warnings);
    }

    // Rows: total mg, weight kg, expected mg/kg for display.
    public static TheoryData<decimal, decimal, decimal> PerKg => new()
    {
        // 70.01 mg / 70 kg = 1.000142… → 1.000.
        { 70.01m, 70m, 1.000m },
        // 52.5 / 70 = 0.75 → 0.750.
        { 52.5m, 70m, 0.750m },
        // 49.96 / 80 = 0.6245 exactly: away from zero → 0.625 (banker's rounding would give 0.624).
        { 49.96m, 80m, 0.625m },
        // 20 / 70 = 0.285714… → 0.286.
        { 20m, 70m, 0.286m },
    };

    [Theory]
    [MemberData(nameof(PerKg))]
    public void Check_TotalMgPerKg_IsRoundedToThreeDecimalsAwayFromZero(decimal amount, decimal weight, decimal expected)
    {
        var check = DoseLimitChecker.Check(Defaults, Context(Medication.Ketamine, AdministrationRoute.Intravenous, 0m, amount, weight, 40));

        Assert.Equal(expected, check.TotalMgPerKg);
    }

    [Fact]
    public void Check_SecondEntry_ReportsTheSessionTotal()
    {
        // 50 + 20.01 = 70.01 mg; 70.01 / 70 = 1.000142… → 1.000 mg/kg.
        var check = DoseLimitChecker.Check(Defaults, Context(Medication.Ketamine, AdministrationRoute.Intravenous, 50m, 20.01m, 70m, 40));

        Assert.Equal(70.01m, check.TotalMg);
        Assert.Equal(1.000m, check.TotalMgPerKg);
        Assert.Equal(new DoseLimitBreach("iv.max-mg-per-kg", check.Hard!.Description, 1.0m, "mg/kg"), check.Hard);
        Assert.Contains("70.01 mg", check.Hard.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_OralOverTheMgCap_NamesTheMgLimit()
    {
        var check = DoseLimitChecker.Check(Defaults, Context(Medication.Ketamine, AdministrationRoute.Oral, 0m, 300.01m, 50m, null));

        Assert.Equal(("oral.max-session-mg", 300m, "mg"), (check.Hard!.Code, check.Hard.Limit, check.Hard.Unit));
    }

    [Fact]
    public void Check_Warnings_CarryTheirLimitAndUnit()
    {
        // Age 65 start dose is 28 mg; 56 − 20 = 36 > 28 increase; both with mg units.
        var esketamine = DoseLimitChecker.Check(Defaults,
            new DoseContext(Medication.Esketamine, AdministrationRoute.Intranasal, 28m, 28m, 70m, null, 65, true, 20m));
        // 52.51 > 0.75 mg/kg × 70; 29 < 30 min.
        var iv = DoseLimitChecker.Check(Defaults, Context(Medication.Ketamine, AdministrationRoute.Intravenous, 0m, 52.51m, 70m, 29));

        Assert.Equal(
            [("esketamine.first-session-above-start-dose", 28m, "mg"), ("esketamine.increase-above-28mg", 28m, "mg")],
            esketamine.Warnings.Select(w => (w.Code, w.Limit, w.Unit)));
        Assert.Equal(
            [("iv.above-usual-mg-per-kg", 0.75m, "mg/kg"), ("iv.infusion-too-short", 30m, "min")],
            iv.Warnings.Select(w => (w.Code, w.Limit, w.Unit)));
        Assert.All(esketamine.Warnings.Concat(iv.Warnings), w => Assert.False(string.IsNullOrWhiteSpace(w.Description)));
    }

    [Fact]
    public void Check_UsesConfiguredLimits()
    {
        var limits = new DoseLimitsOptions();
        limits.IntravenousKetamine.HardMgPerKg = 0.8m;

        // 0.8 × 70 = 56.00 mg: 56.00 passes (soft 52.50 → warn), 56.01 is hard.
        var atLimit = DoseLimitChecker.Check(limits, Context(Medication.Ketamine, AdministrationRoute.Intravenous, 0m, 56.00m, 70m, 40));
        var above = DoseLimitChecker.Check(limits, Context(Medication.Ketamine, AdministrationRoute.Intravenous, 0m, 56.01m, 70m, 40));

        AssertOutcome(atLimit, null, ["iv.above-usual-mg-per-kg"]);
        AssertOutcome(above, "iv.max-mg-per-kg", []);
        Assert.Equal(0.8m, above.Hard!.Limit);
    }

    [Fact]
    public void Check_ThrowsExactlyForThePairsIsAllowedRefuses()
    {
        // Esketamine by IV, oral or sublingual route has no limits (Spravato is nasal only); every other pair does.
        foreach (var medication in Enum.GetValues<Medication>())
        {
            foreach (var route in Enum.GetValues<AdministrationRoute>())
            {
                var context = Context(medication, route, 0m, 28m, 70m, null);
                if (MedicationRoutes.IsAllowed(medication, route))
                {
                    Assert.NotNull(DoseLimitChecker.Check(Defaults, context));
                }
                else
                {
                    Assert.Throws<ArgumentException>(() => DoseLimitChecker.Check(Defaults, context));
                }
            }
        }
    }

    public static TheoryData<decimal, decimal, decimal> ImpossibleNumbers => new()
    {
        { 0m, 0m, 70m },   // no new amount
        { 0m, -1m, 70m },  // negative amount
        { -1m, 28m, 70m }, // negative total so far
        { 0m, 28m, 0m },   // no weight
    };

    [Theory]
    [MemberData(nameof(ImpossibleNumbers))]
    public void Check_ImpossibleNumbers_Throw(decimal before, decimal amount, decimal weight)
    {
        var context = Context(Medication.Ketamine, AdministrationRoute.Sublingual, before, amount, weight, null);

        Assert.Throws<ArgumentOutOfRangeException>(() => DoseLimitChecker.Check(Defaults, context));
    }

    private static DoseContext Context(
        Medication medication, AdministrationRoute route, decimal before, decimal amount, decimal weight, int? minutes) =>
        new(medication, route, before, amount, weight, minutes, 40, false, null);

    private static void AssertOutcome(DoseCheck check, string? hard, string[] warnings)
    {
        Assert.Equal(hard, check.Hard?.Code);
        Assert.Equal(warnings, check.Warnings.Select(w => w.Code));
    }
}
