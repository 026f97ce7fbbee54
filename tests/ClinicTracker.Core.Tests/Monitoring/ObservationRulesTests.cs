using System.Text.Json;
using ClinicTracker.Core.Monitoring;

namespace ClinicTracker.Core.Tests.Monitoring;

public sealed class ObservationRulesTests
{
    // Rows: kind, systolic, diastolic, value, expected fields with a problem (in order). domain.md §5 ranges.
    public static TheoryData<ObservationKind, int?, int?, int?, string[]> Observations => new()
    {
        // Blood pressure: systolic 50–300, diastolic 20–200, systolic > diastolic.
        { ObservationKind.BloodPressure, 120, 80, null, [] },
        { ObservationKind.BloodPressure, 50, 20, null, [] },          // both lower edges; 50 > 20
        { ObservationKind.BloodPressure, 49, 20, null, ["systolic"] }, // 49 < 50
        { ObservationKind.BloodPressure, 300, 80, null, [] },
        { ObservationKind.BloodPressure, 301, 80, null, ["systolic"] },
        { ObservationKind.BloodPressure, 60, 19, null, ["diastolic"] },
        { ObservationKind.BloodPressure, 210, 200, null, [] },        // diastolic upper edge, 210 > 200
        { ObservationKind.BloodPressure, 250, 201, null, ["diastolic"] },
        // 120/120: both in range but systolic is not greater → reported on systolic.
        { ObservationKind.BloodPressure, 120, 120, null, ["systolic"] },
        { ObservationKind.BloodPressure, 120, 121, null, ["systolic"] },
        { ObservationKind.BloodPressure, 121, 120, null, [] },
        // Out of range and not greater: 49 < 50 and 49 ≤ 60 → two problems on systolic.
        { ObservationKind.BloodPressure, 49, 60, null, ["systolic", "systolic"] },
        // Missing parts.
        { ObservationKind.BloodPressure, null, 80, null, ["systolic"] },
        { ObservationKind.BloodPressure, 120, null, null, ["diastolic"] },
        { ObservationKind.BloodPressure, null, null, null, ["systolic", "diastolic"] },
        // value must be empty for blood pressure.
        { ObservationKind.BloodPressure, 120, 80, 72, ["value"] },

        // Heart rate 20–250 /min.
        { ObservationKind.HeartRate, null, null, 20, [] },
        { ObservationKind.HeartRate, null, null, 19, ["value"] },
        { ObservationKind.HeartRate, null, null, 250, [] },
        { ObservationKind.HeartRate, null, null, 251, ["value"] },
        { ObservationKind.HeartRate, null, null, null, ["value"] },
        // systolic/diastolic must be empty for non-BP kinds.
        { ObservationKind.HeartRate, 120, null, 72, ["systolic"] },
        { ObservationKind.HeartRate, 120, 80, 72, ["systolic", "diastolic"] },

        // SpO2 50–100 %.
        { ObservationKind.Spo2, null, null, 50, [] },
        { ObservationKind.Spo2, null, null, 49, ["value"] },
        { ObservationKind.Spo2, null, null, 100, [] },
        { ObservationKind.Spo2, null, null, 101, ["value"] },
        { ObservationKind.Spo2, null, 80, 97, ["diastolic"] },

        // CADSS total 0–92 (23 items × 4).
        { ObservationKind.Cadss, null, null, 0, [] },
        { ObservationKind.Cadss, null, null, 92, [] },
        { ObservationKind.Cadss, null, null, 93, ["value"] },
        { ObservationKind.Cadss, null, null, -1, ["value"] },

        // MOAA/S 0–5.
        { ObservationKind.Moaas, null, null, 0, [] },
        { ObservationKind.Moaas, null, null, 5, [] },
        { ObservationKind.Moaas, null, null, 6, ["value"] },
        { ObservationKind.Moaas, null, null, -1, ["value"] },
        { ObservationKind.Moaas, null, null, null, ["value"] },
    };

    [Theory]
    [MemberData(nameof(Observations))]
    public void Validate_RangesAreInclusive(ObservationKind kind, int? systolic, int? diastolic, int? value, string[] fields)
    {
        var problems = ObservationRules.Validate(kind, systolic, diastolic, value);

        Assert.Equal(fields, problems.Select(p => p.Field));
        Assert.All(problems, p => Assert.False(string.IsNullOrWhiteSpace(p.Message)));
    }

    [Fact]
    public void Validate_MessagesCarryTheNumbers()
    {
        Assert.Equal(
            [("systolic", "Systolic blood pressure must be between 50 and 300 mmHg (got 301).")],
            ObservationRules.Validate(ObservationKind.BloodPressure, 301, 80, null));
        Assert.Equal(
            [("systolic", "Systolic (120) must be greater than diastolic (120).")],
            ObservationRules.Validate(ObservationKind.BloodPressure, 120, 120, null));
        Assert.Equal(
            [("value", "SpO2 must be between 50 and 100 % (got 49).")],
            ObservationRules.Validate(ObservationKind.Spo2, null, null, 49));
        Assert.Equal(
            [("value", "value is required: MOAA/S (0–5).")],
            ObservationRules.Validate(ObservationKind.Moaas, null, null, null));
    }

    // Rows: kind, value, expected flag. domain.md §5: MOAA/S 0 or SpO2 < 90 flags the session.
    public static TheoryData<ObservationKind, int?, bool> Flags => new()
    {
        { ObservationKind.Moaas, 0, true },
        { ObservationKind.Moaas, 1, false },
        { ObservationKind.Moaas, 5, false },
        { ObservationKind.Spo2, 89, true },
        { ObservationKind.Spo2, 50, true },
        { ObservationKind.Spo2, 90, false },
        { ObservationKind.Spo2, 100, false },
        // Other kinds never flag, whatever the number.
        { ObservationKind.HeartRate, 0, false },
        { ObservationKind.HeartRate, 89, false },
        { ObservationKind.Cadss, 0, false },
        { ObservationKind.Cadss, 92, false },
        { ObservationKind.BloodPressure, null, false },
        // No value, no flag.
        { ObservationKind.Moaas, null, false },
        { ObservationKind.Spo2, null, false },
    };

    [Theory]
    [MemberData(nameof(Flags))]
    public void FlagsSession_OnMoaasZeroOrSpo2Below90(ObservationKind kind, int? value, bool expected)
    {
        Assert.Equal(expected, ObservationRules.FlagsSession(kind, value));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(4, false)] // domain.md §5: > 4 counts as dissociation, so 4 does not.
    [InlineData(5, true)]
    [InlineData(92, true)]
    public void IsDissociation_AboveFour(int cadss, bool expected)
    {
        Assert.Equal(expected, ObservationRules.IsDissociation(cadss));
    }

    [Fact]
    public void Codes_AreTheLoincCodesOfDomainSection5()
    {
        Assert.Equal(
            ["85354-9", "8480-6", "8462-4", "8867-4", "2708-6", "59408-5"],
            [
                ObservationRules.BloodPressurePanelLoinc, ObservationRules.SystolicLoinc, ObservationRules.DiastolicLoinc,
                ObservationRules.HeartRateLoinc, ObservationRules.Spo2Loinc, ObservationRules.Spo2PulseOximetryLoinc,
            ]);
    }

    [Fact]
    public void Kinds_SerializeToTheWireNames()
    {
        // The API writes enums with JsonNamingPolicy.KebabCaseLower (Api/Common/JsonSetup.cs).
        Assert.Equal(
            ["blood-pressure", "heart-rate", "spo2", "cadss", "moaas"],
            Enum.GetValues<ObservationKind>().Select(k => JsonNamingPolicy.KebabCaseLower.ConvertName(k.ToString())));
    }
}
