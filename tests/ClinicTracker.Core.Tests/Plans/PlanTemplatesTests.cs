using ClinicTracker.Core.Plans;

namespace ClinicTracker.Core.Tests.Plans;

public sealed class PlanTemplatesTests
{
    [Fact]
    public void Names_AreTheTwoBuiltInTemplates()
    {
        Assert.Equal(["iv-induction", "esketamine-standard"], PlanTemplates.Names);
    }

    [Theory]
    [InlineData("maintenance-only")]
    [InlineData("IV-Induction")]
    [InlineData("")]
    public void Phases_UnknownName_ReturnsNull(string name)
    {
        Assert.Null(PlanTemplates.Phases(name, new DateOnly(2026, 1, 5)));
    }

    [Fact]
    public void Phases_IvInduction_IsSixSessionsMondayWednesdayFriday()
    {
        // Zheng 2019: 6 infusions over 12 days.
        var phase = Assert.Single(PlanTemplates.Phases("iv-induction", new DateOnly(2026, 1, 6))!);

        Assert.Equal(("induction", 6, (int?)null), (phase.Name, phase.Sessions, phase.EveryDays));
        Assert.Equal([DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday], phase.Weekdays!);
    }

    [Theory]
    // Induction days are the start day and the start day + 3, wrapping past Saturday.
    [InlineData(2026, 1, 5, DayOfWeek.Monday, DayOfWeek.Thursday)]    // Mon (1) + 3 = Thu (4)
    [InlineData(2026, 1, 8, DayOfWeek.Thursday, DayOfWeek.Sunday)]    // Thu (4) + 3 = 7 mod 7 = Sun (0)
    [InlineData(2026, 1, 9, DayOfWeek.Friday, DayOfWeek.Monday)]      // Fri (5) + 3 = 8 mod 7 = Mon (1)
    [InlineData(2026, 1, 10, DayOfWeek.Saturday, DayOfWeek.Tuesday)]  // Sat (6) + 3 = 9 mod 7 = Tue (2)
    [InlineData(2026, 1, 11, DayOfWeek.Sunday, DayOfWeek.Wednesday)]  // Sun (0) + 3 = Wed (3)
    public void Phases_EsketamineStandard_FollowsTheLabelFromTheStartDay(int y, int m, int d, DayOfWeek first, DayOfWeek second)
    {
        var phases = PlanTemplates.Phases("esketamine-standard", new DateOnly(y, m, d))!;

        // Spravato label: twice weekly × 4 weeks, weekly × 4 weeks, then every 2 weeks.
        Assert.Equal(3, phases.Count);
        Assert.Equal(("induction", 8, (int?)null), (phases[0].Name, phases[0].Sessions, phases[0].EveryDays));
        Assert.Equal([first, second], phases[0].Weekdays!);
        Assert.Equal(new PlanPhase("optimization", 4, 7, null), phases[1]);
        Assert.Equal(new PlanPhase("maintenance", 12, 14, null), phases[2]);
    }

    [Fact]
    public void InductionPhase_IsTheFirstPhaseOfEveryTemplate()
    {
        Assert.Equal("induction", PlanTemplates.InductionPhase);
        Assert.All(PlanTemplates.Names, name =>
            Assert.Equal(PlanTemplates.InductionPhase, PlanTemplates.Phases(name, new DateOnly(2026, 1, 5))![0].Name));
    }
}
