using ClinicTracker.Core.Monitoring;

namespace ClinicTracker.Core.Tests.Monitoring;

public sealed class MonitoringOptionsTests
{
    [Fact]
    public void Defaults_AreTheDomainNumbers_AndValid()
    {
        var o = new MonitoringOptions();

        // domain.md §4: clinic hold rule 140/90 within 60 min; Spravato REMS 2 h observation, BP ~40 min (30–60).
        Assert.Equal((140, 90, 60), (o.BpGateSystolicMax, o.BpGateDiastolicMax, o.BpGateWindowMinutes));
        Assert.Equal((120, 30, 60), (o.EsketamineObservationMinutes, o.EsketaminePostDoseBpFromMinutes, o.EsketaminePostDoseBpToMinutes));
        Assert.Equal(30, o.DischargeBpWindowMinutes);
        Assert.Equal("Monitoring", MonitoringOptions.Section);
        Assert.Empty(o.Validate());
    }

    public static TheoryData<string, int> NotPositive => new()
    {
        { nameof(MonitoringOptions.BpGateWindowMinutes), 0 },
        { nameof(MonitoringOptions.BpGateWindowMinutes), -60 },
        { nameof(MonitoringOptions.EsketamineObservationMinutes), 0 },
        { nameof(MonitoringOptions.EsketamineObservationMinutes), -1 },
        { nameof(MonitoringOptions.DischargeBpWindowMinutes), 0 },
        { nameof(MonitoringOptions.DischargeBpWindowMinutes), -30 },
        { nameof(MonitoringOptions.EsketaminePostDoseBpToMinutes), -5 },
    };

    [Theory]
    [MemberData(nameof(NotPositive))]
    public void Validate_ZeroOrNegative_IsRejected(string key, int value)
    {
        var o = new MonitoringOptions();
        typeof(MonitoringOptions).GetProperty(key)!.SetValue(o, value);

        var problems = o.Validate();

        Assert.Contains($"Monitoring:{key} ({value}) must be greater than 0.", problems);
    }

    [Fact]
    public void Validate_PostDoseFromZero_IsRejected()
    {
        // 0 is not positive: a "post-dose" reading at the moment of dosing is not what the REMS asks for.
        var o = new MonitoringOptions { EsketaminePostDoseBpFromMinutes = 0 };

        Assert.Equal(["Monitoring:EsketaminePostDoseBpFromMinutes (0) must be greater than 0."], o.Validate());
    }

    [Fact]
    public void Validate_PostDoseWindowBackwards_IsRejected()
    {
        var o = new MonitoringOptions { EsketaminePostDoseBpFromMinutes = 61, EsketaminePostDoseBpToMinutes = 60 };

        Assert.Equal(["Monitoring:EsketaminePostDoseBpFromMinutes (61) is after EsketaminePostDoseBpToMinutes (60)."], o.Validate());
    }

    [Fact]
    public void Validate_PostDoseWindowOfOneInstant_IsAllowed()
    {
        Assert.Empty(new MonitoringOptions { EsketaminePostDoseBpFromMinutes = 40, EsketaminePostDoseBpToMinutes = 40 }.Validate());
    }

    [Fact]
    public void Validate_GateLimits_MustBePositiveAndDiastolicBelowSystolic()
    {
        Assert.Equal(
            ["Monitoring:BpGateDiastolicMax (140) must be below BpGateSystolicMax (140)."],
            new MonitoringOptions { BpGateDiastolicMax = 140 }.Validate());
        Assert.Equal(
            [
                "Monitoring:BpGateSystolicMax (0) must be greater than 0.",
                "Monitoring:BpGateDiastolicMax (90) must be below BpGateSystolicMax (0).",
            ],
            new MonitoringOptions { BpGateSystolicMax = 0 }.Validate());
    }
}
