using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace ClinicTracker.Api.Tests.Doses;

public sealed class DoseLimitsConfigurationTests
{
    [Fact]
    public void SoftLimitAboveItsHardLimit_StopsTheApiAtStartWithAMessageNamingTheSetting()
    {
        using var factory = new MisconfiguredFactory();

        var error = Assert.ThrowsAny<OptionsValidationException>(() => factory.CreateClient());

        Assert.Contains("DoseLimits:IntravenousKetamine:SoftMgPerKg", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConfiguredLimit_IsTheOneEnforced()
    {
        // A clinic that lowers the IV hard limit to 0.8 mg/kg: 56.01 mg at 70 kg (> 56 mg) is refused.
        using var factory = new LowerLimitFactory();
        var data = new TreatmentData(factory);
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);

        var response = await data.Dose(data.Prescriber, sessionId, TreatmentData.Iv(56.01m, overrideReason: "test"));

        await response.AssertProblem(System.Net.HttpStatusCode.UnprocessableEntity, "dose.hard-limit");
    }

    private sealed class MisconfiguredFactory : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["DoseLimits:IntravenousKetamine:SoftMgPerKg"] = "1.2",
        };
    }

    private sealed class LowerLimitFactory : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
        {
            ["DoseLimits:IntravenousKetamine:SoftMgPerKg"] = "0.7",
            ["DoseLimits:IntravenousKetamine:HardMgPerKg"] = "0.8",
        };
    }
}
