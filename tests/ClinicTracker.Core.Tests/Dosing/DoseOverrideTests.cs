using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Tests.Dosing;

/// <summary>domain.md §3: an override covers only the warnings it names.</summary>
public sealed class DoseOverrideTests
{
    private static readonly DoseWarning Gate = new(DoseLimitCodes.BpGateElevated, "BP 150/95");
    private static readonly DoseWarning AboveUsual = new(DoseLimitCodes.IvAboveUsualMgPerKg, "0.857 mg/kg", 0.75m, "mg/kg");
    private static readonly DoseWarning Short = new(DoseLimitCodes.IvInfusionTooShort, "29 min", 30m, "min");

    // Rows: raised warnings, accepted codes, has a reason, may override → the codes not accepted (raised order).
    public static TheoryData<DoseWarning[], string[], bool, bool, string[]> Cases => new()
    {
        // Nothing raised → nothing to accept, whoever asks.
        { [], [], false, false, [] },
        // Raised, accepted, with a reason, by a prescriber → through.
        { [AboveUsual], [DoseLimitCodes.IvAboveUsualMgPerKg], true, true, [] },
        // The gate accepted, the soft limit not → the soft limit stands.
        { [Gate, AboveUsual], [DoseLimitCodes.BpGateElevated], true, true, [DoseLimitCodes.IvAboveUsualMgPerKg] },
        // Both accepted, in another order → through.
        { [Gate, AboveUsual], [DoseLimitCodes.IvAboveUsualMgPerKg, DoseLimitCodes.BpGateElevated], true, true, [] },
        // A reason but no codes → everything stands.
        { [Gate, AboveUsual, Short], [], true, true, [DoseLimitCodes.BpGateElevated, DoseLimitCodes.IvAboveUsualMgPerKg, DoseLimitCodes.IvInfusionTooShort] },
        // Codes but no reason → everything stands.
        { [AboveUsual], [DoseLimitCodes.IvAboveUsualMgPerKg], false, true, [DoseLimitCodes.IvAboveUsualMgPerKg] },
        // A nurse naming every code → everything stands (only a prescriber overrides, domain.md §9).
        { [AboveUsual], [DoseLimitCodes.IvAboveUsualMgPerKg], true, false, [DoseLimitCodes.IvAboveUsualMgPerKg] },
        // Accepting more than was raised is harmless: only what was raised matters.
        { [Short], [DoseLimitCodes.IvInfusionTooShort, DoseLimitCodes.BpGateMissing], true, true, [] },
        // Accepting the missing-BP gate does not cover an elevated BP.
        { [Gate], [DoseLimitCodes.BpGateMissing], true, true, [DoseLimitCodes.BpGateElevated] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void NotAccepted_ListsTheRaisedWarningsTheOverrideDoesNotName(
        DoseWarning[] raised, string[] accepted, bool hasReason, bool mayOverride, string[] expected)
    {
        Assert.Equal(expected, DoseOverride.NotAccepted(raised, accepted, hasReason, mayOverride));
    }

    [Fact]
    public void EveryLimitCodeOfTheChecker_IsOverridable_AndNoHardLimitIs()
    {
        Assert.Contains(DoseLimitCodes.EsketamineIncreaseAbove28Mg, DoseLimitCodes.Overridable);
        Assert.DoesNotContain(DoseLimitCodes.IvMaxMgPerKg, DoseLimitCodes.Overridable);
        Assert.DoesNotContain(DoseLimitCodes.EsketamineMaxSessionMg, DoseLimitCodes.Overridable);
    }
}
