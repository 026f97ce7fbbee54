using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Tests.Outcomes;

public sealed class OutcomeOptionsConfigurationTests
{
    [Fact]
    public void ResponseFractionOfOne_StopsTheApiAtStartWithAMessageNamingTheSetting()
    {
        using var factory = new SettingsFactory(new() { ["Outcomes:ResponseFraction"] = "1" });

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("Outcomes:ResponseFraction", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredRemissionCutOff_IsTheOneApplied()
    {
        // A clinic that calls PHQ-9 below 6 a remission: a latest of 5 is one (below the default 5 it would not be).
        using var factory = new SettingsFactory(new() { ["Outcomes:Phq9RemissionBelow"] = "6" });
        var data = new TreatmentData(factory);
        var patientId = await data.Patient();
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(5), DateTimeOffset.UtcNow.AddDays(-1));

        var outcomes = await AssessmentData.Outcomes(data.Nurse, patientId);

        Assert.True(AssessmentData.Instrument(outcomes, "phq9")["remission"]!.GetValue<bool>());
        Assert.Equal(6, outcomes["criteria"]!["phq9RemissionBelow"]!.GetValue<int>());
    }

    private sealed class SettingsFactory(Dictionary<string, string?> settings) : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => settings;
    }
}
