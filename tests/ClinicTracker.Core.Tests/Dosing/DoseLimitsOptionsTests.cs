using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Tests.Dosing;

public sealed class DoseLimitsOptionsTests
{
    [Fact]
    public void Validate_Defaults_ReportsNothing()
    {
        Assert.Empty(new DoseLimitsOptions().Validate());
    }

    [Fact]
    public void Defaults_AreTheDomainNumbers()
    {
        var o = new DoseLimitsOptions();

        // domain.md §3 table.
        Assert.Equal((0.75m, 1.0m, 30), (o.IntravenousKetamine.SoftMgPerKg, o.IntravenousKetamine.HardMgPerKg, o.IntravenousKetamine.MinInfusionMinutes));
        var es = o.IntranasalEsketamine;
        Assert.Equal((28m, 56m, 28m, 65, 28m, 84m), (es.DeviceMg, es.FirstSessionMaxMg, es.FirstSessionMaxMgAge65, es.SeniorAge, es.MaxIncreaseMg, es.HardMaxMg));
        Assert.Equal((50m, 100m), (o.IntranasalKetamine.SoftMaxMg, o.IntranasalKetamine.HardMaxMg));
        Assert.Equal((3.0m, 7.0m, 300m), (o.OralKetamine.SoftMgPerKg, o.OralKetamine.HardMgPerKg, o.OralKetamine.HardMaxMg));
        Assert.Equal((200m, 300m), (o.SublingualKetamine.SoftMaxMg, o.SublingualKetamine.HardMaxMg));
        Assert.Equal("DoseLimits", DoseLimitsOptions.Section);
    }

    [Fact]
    public void Validate_SoftAboveHard_NamesTheSetting()
    {
        var o = new DoseLimitsOptions();
        o.IntravenousKetamine.SoftMgPerKg = 1.2m;

        Assert.Equal(["DoseLimits:IntravenousKetamine:SoftMgPerKg (1.2) is above HardMgPerKg (1.0)."], o.Validate());
    }

    [Fact]
    public void Validate_EachSoftAboveHard_IsReported()
    {
        var o = new DoseLimitsOptions();
        o.IntranasalEsketamine.FirstSessionMaxMg = 112m;
        o.IntranasalKetamine.SoftMaxMg = 150m;
        o.OralKetamine.SoftMgPerKg = 8m;
        o.SublingualKetamine.SoftMaxMg = 301m;

        Assert.Equal(
        [
            "DoseLimits:IntranasalEsketamine:FirstSessionMaxMg (112) is above HardMaxMg (84).",
            "DoseLimits:IntranasalKetamine:SoftMaxMg (150) is above HardMaxMg (100).",
            "DoseLimits:OralKetamine:SoftMgPerKg (8) is above HardMgPerKg (7.0).",
            "DoseLimits:SublingualKetamine:SoftMaxMg (301) is above HardMaxMg (300).",
        ], o.Validate());
    }

    [Fact]
    public void Validate_NonPositiveNumbers_AreReported()
    {
        var o = new DoseLimitsOptions();
        o.IntranasalEsketamine.SeniorAge = 0;
        o.IntravenousKetamine.MinInfusionMinutes = -5;
        o.OralKetamine.HardMaxMg = 0m;

        Assert.Equal(
        [
            "DoseLimits:IntravenousKetamine:MinInfusionMinutes (-5) must be greater than 0.",
            "DoseLimits:IntranasalEsketamine:SeniorAge (0) must be greater than 0.",
            "DoseLimits:OralKetamine:HardMaxMg (0) must be greater than 0.",
        ], o.Validate());
    }
}
