using System.Globalization;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using static ClinicTracker.Core.Dosing.AdministrationRoute;
using static ClinicTracker.Core.Dosing.Medication;

namespace ClinicTracker.Core.Tests.Plans;

/// <summary>
/// Plan targets against the default hard limits of domain.md §3, worked out by hand. Plausible dosing
/// weights are 30–300 kg, so a target in the other unit than the route's limit is refused only when even
/// the most favourable weight cannot bring it within the limit.
/// </summary>
public sealed class PlanTargetsTests
{
    private static readonly DoseLimitsOptions Defaults = new();

    [Theory]
    // IV ketamine, hard 1.0 mg/kg: 1.0 passes (at the limit), 1.001 / 1.01 are above.
    [InlineData(Ketamine, Intravenous, "1.0", true)]
    [InlineData(Ketamine, Intravenous, "1.001", false)]
    [InlineData(Ketamine, Intravenous, "1.01", false)]
    [InlineData(Ketamine, Intravenous, "0.5", true)]
    // Oral, hard 7.0 mg/kg (and 300 mg: 10 mg/kg × 30 kg = 300 mg, at the limit, so 7.0 mg/kg is the binding one).
    [InlineData(Ketamine, Oral, "7.0", true)]
    [InlineData(Ketamine, Oral, "7.01", false)]
    // Intranasal ketamine, hard 100 mg: 3.33 × 30 = 99.9 mg passes; 3.34 × 30 = 100.2 mg is above at every weight.
    [InlineData(Ketamine, Intranasal, "3.33", true)]
    [InlineData(Ketamine, Intranasal, "3.34", false)]
    // Sublingual, hard 300 mg: 10 × 30 = 300 mg at the limit; 10.01 × 30 = 300.3 mg above.
    [InlineData(Ketamine, Sublingual, "10", true)]
    [InlineData(Ketamine, Sublingual, "10.01", false)]
    // Esketamine is never per kg.
    [InlineData(Esketamine, Intranasal, "0.5", false)]
    public void MgPerKgTarget_AgainstTheHardLimits(Medication medication, AdministrationRoute route, string mgPerKg, bool accepted)
    {
        var refusal = PlanTargets.MgPerKgRefusal(Defaults, medication, route, decimal.Parse(mgPerKg, CultureInfo.InvariantCulture));

        Assert.Equal(accepted, refusal is null);
    }

    [Theory]
    // Esketamine, 28 mg devices, hard 84 mg: 28, 56, 84 pass; 112 = 4 devices > 84; 42, 85, 27.99 not whole devices.
    [InlineData(Esketamine, Intranasal, "28", true)]
    [InlineData(Esketamine, Intranasal, "56", true)]
    [InlineData(Esketamine, Intranasal, "84", true)]
    [InlineData(Esketamine, Intranasal, "112", false)]
    [InlineData(Esketamine, Intranasal, "42", false)]
    [InlineData(Esketamine, Intranasal, "85", false)]
    [InlineData(Esketamine, Intranasal, "27.99", false)]
    // IV ketamine in mg: 1.0 mg/kg × 300 kg = 300 mg is the most any plausible patient may get.
    [InlineData(Ketamine, Intravenous, "300", true)]
    [InlineData(Ketamine, Intravenous, "300.01", false)]
    [InlineData(Ketamine, Intranasal, "100", true)]
    [InlineData(Ketamine, Intranasal, "100.01", false)]
    // Oral, hard 300 mg (7.0 × 300 kg = 2,100 mg would allow more, but 300 mg binds).
    [InlineData(Ketamine, Oral, "300", true)]
    [InlineData(Ketamine, Oral, "300.01", false)]
    [InlineData(Ketamine, Sublingual, "300", true)]
    [InlineData(Ketamine, Sublingual, "300.01", false)]
    public void MgTarget_AgainstTheHardLimits(Medication medication, AdministrationRoute route, string mg, bool accepted)
    {
        var refusal = PlanTargets.MgRefusal(Defaults, medication, route, decimal.Parse(mg, CultureInfo.InvariantCulture));

        Assert.Equal(accepted, refusal is null);
    }

    [Fact]
    public void EsketamineRefusal_ListsTheWholeDeviceTotalsOfTheConfiguredLimits()
    {
        // Defaults: 28 mg devices up to 84 mg → 28, 56 or 84. A clinic capped at 56 mg: 28 or 56.
        var capped = new DoseLimitsOptions();
        capped.IntranasalEsketamine.HardMaxMg = 56m;
        capped.IntranasalEsketamine.FirstSessionMaxMg = 56m;

        Assert.Contains("28, 56 or 84 mg", PlanTargets.MgRefusal(Defaults, Esketamine, Intranasal, 42m), StringComparison.Ordinal);
        Assert.Contains("28 or 56 mg", PlanTargets.MgRefusal(capped, Esketamine, Intranasal, 84m), StringComparison.Ordinal);
        Assert.Null(PlanTargets.MgRefusal(capped, Esketamine, Intranasal, 56m));
    }

    [Fact]
    public void ConfiguredIvLimit_IsTheOneApplied()
    {
        // A clinic at 0.8 mg/kg: 0.8 passes; 0.81 is refused; in mg, 0.8 × 300 kg = 240 mg is the ceiling.
        var lower = new DoseLimitsOptions();
        lower.IntravenousKetamine.SoftMgPerKg = 0.6m;
        lower.IntravenousKetamine.HardMgPerKg = 0.8m;

        Assert.Null(PlanTargets.MgPerKgRefusal(lower, Ketamine, Intravenous, 0.8m));
        Assert.NotNull(PlanTargets.MgPerKgRefusal(lower, Ketamine, Intravenous, 0.81m));
        Assert.Null(PlanTargets.MgRefusal(lower, Ketamine, Intravenous, 240m));
        Assert.NotNull(PlanTargets.MgRefusal(lower, Ketamine, Intravenous, 240.01m));
    }

    [Fact]
    public void EsketamineByAnotherRoute_Throws()
    {
        Assert.Throws<ArgumentException>(() => PlanTargets.MgRefusal(Defaults, Esketamine, Intravenous, 56m));
        Assert.Throws<ArgumentException>(() => PlanTargets.MgPerKgRefusal(Defaults, Esketamine, Oral, 0.5m));
    }

    [Theory]
    [InlineData("iv-induction", Ketamine, Intravenous, true)]
    [InlineData("iv-induction", Ketamine, Oral, false)]
    [InlineData("iv-induction", Ketamine, Intranasal, false)]
    [InlineData("iv-induction", Esketamine, Intranasal, false)]
    [InlineData("esketamine-standard", Esketamine, Intranasal, true)]
    [InlineData("esketamine-standard", Ketamine, Intranasal, false)]
    [InlineData("esketamine-standard", Ketamine, Intravenous, false)]
    [InlineData("weekly-forever", Ketamine, Intravenous, false)]
    public void Template_FitsOnlyItsMedicationAndRoute(string template, Medication medication, AdministrationRoute route, bool fits)
    {
        Assert.Equal(fits, PlanTemplates.Fits(template, medication, route));
    }
}
