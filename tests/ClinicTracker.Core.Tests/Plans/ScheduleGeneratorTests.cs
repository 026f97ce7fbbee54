using System.Globalization;
using ClinicTracker.Core.Plans;

namespace ClinicTracker.Core.Tests.Plans;

public sealed class ScheduleGeneratorTests
{
    private static readonly DayOfWeek[] MonWedFri = [DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday];

    [Fact]
    public void DueDates_EveryDaysPhaseFollowedByAnother_NextPhaseStartsOneIntervalAfterLastSession()
    {
        // Block A starts Mon 2026-01-05: 01-05, 01-07, 01-09; length 3 × 2 = 6 days → block B starts 01-11.
        // Block B every 7 days: 01-11, 01-18.
        var phases = new[] { new PlanPhase("a", 3, 2, null), new PlanPhase("b", 2, 7, null) };

        var due = ScheduleGenerator.DueDates(Day("2026-01-05"), phases, 1);

        Assert.Equal(["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-11", "2026-01-18"], Dates(due));
        Assert.Equal([0, 1, 2, 3, 4], due.Select(d => d.Index));
        Assert.Equal([0, 0, 0, 1, 1], due.Select(d => d.PhaseIndex));
        Assert.Equal(["a", "a", "a", "b", "b"], due.Select(d => d.Phase));
    }

    [Theory]
    // Mon/Sun pattern from Mon 2026-01-05. Sessions: Mon 01-05, Sun 01-11, Mon 01-12, Sun 01-18.
    // 1 session: last 01-05, span 1 day  → ceil(1/7) = 1 week  → next block 01-05 + 7  = 01-12.
    [InlineData(1, "2026-01-12")]
    // 2 sessions: last 01-11, span 7 days → ceil(7/7) = 1 week → next block 01-12 (exactly one week).
    [InlineData(2, "2026-01-12")]
    // 3 sessions: last 01-12, span 8 days → ceil(8/7) = 2 weeks → next block 01-05 + 14 = 01-19.
    [InlineData(3, "2026-01-19")]
    // 4 sessions: last 01-18, span 14 days → 2 weeks → 01-19.
    [InlineData(4, "2026-01-19")]
    public void DueDates_WeekdayPhase_BlockIsTheWholeWeeksContainingItsLastSession(int sessions, string nextStart)
    {
        var phases = new[]
        {
            new PlanPhase("weekdays", sessions, null, [DayOfWeek.Monday, DayOfWeek.Sunday]),
            new PlanPhase("after", 1, 7, null),
        };

        var due = ScheduleGenerator.DueDates(Day("2026-01-05"), phases, 1);

        Assert.Equal(nextStart, Text(due[^1].Date));
    }

    [Fact]
    public void DueDates_WeekdayPhaseStartingOffPattern_FirstSessionIsTheNextMatchingDay()
    {
        // Start Tue 2026-01-06, Mon/Wed/Fri × 3: Wed 01-07, Fri 01-09, Mon 01-12.
        // Span 01-06..01-12 = 7 days → 1 week → next block Tue 01-13; every 3 days × 2: 01-13, 01-16.
        var phases = new[] { new PlanPhase("mwf", 3, null, MonWedFri), new PlanPhase("after", 2, 3, null) };

        var due = ScheduleGenerator.DueDates(Day("2026-01-06"), phases, 1);

        Assert.Equal(["2026-01-07", "2026-01-09", "2026-01-12", "2026-01-13", "2026-01-16"], Dates(due));
    }

    [Fact]
    public void DueDates_IvInductionFromMonday_SixSessionsOverTwelveDays()
    {
        // Zheng 2019: Mon 01-05, Wed 01-07, Fri 01-09, Mon 01-12, Wed 01-14, Fri 01-16; 01-05..01-16 = 12 days.
        var due = ScheduleGenerator.DueDates(Day("2026-01-05"), Template("iv-induction", "2026-01-05"), 1);

        Assert.Equal(["2026-01-05", "2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14", "2026-01-16"], Dates(due));
        Assert.All(due, d => Assert.Equal("induction", d.Phase));
    }

    [Fact]
    public void DueDates_IvInductionFromTuesday_FirstSessionOnWednesday()
    {
        // Tue 01-06 is not Mon/Wed/Fri: Wed 01-07, Fri 01-09, Mon 01-12, Wed 01-14, Fri 01-16, Mon 01-19.
        var due = ScheduleGenerator.DueDates(Day("2026-01-06"), Template("iv-induction", "2026-01-06"), 1);

        Assert.Equal(["2026-01-07", "2026-01-09", "2026-01-12", "2026-01-14", "2026-01-16", "2026-01-19"], Dates(due));
    }

    [Fact]
    public void DueDates_EsketamineStandardFromMonday_GivesAllTwentyFourDates()
    {
        // Induction Mon/Thu (start day and start + 3) × 8: weeks 1–4 from Mon 2026-01-05.
        //   01-05 01-08 | 01-12 01-15 | 01-19 01-22 | 01-26 01-29; last 01-29 is day 24, span 25 → 4 weeks.
        // Optimization from 01-05 + 28 = 02-02, every 7 × 4: 02-02 02-09 02-16 02-23; block 28 days.
        // Maintenance from 02-02 + 28 = 03-02 (February 2026 has 28 days), every 14 × 12:
        //   03-02 03-16 03-30 04-13 04-27 05-11 05-25 06-08 06-22 07-06 07-20 08-03.
        var due = ScheduleGenerator.DueDates(Day("2026-01-05"), Template("esketamine-standard", "2026-01-05"), 1);

        Assert.Equal(
        [
            "2026-01-05", "2026-01-08", "2026-01-12", "2026-01-15", "2026-01-19", "2026-01-22", "2026-01-26", "2026-01-29",
            "2026-02-02", "2026-02-09", "2026-02-16", "2026-02-23",
            "2026-03-02", "2026-03-16", "2026-03-30", "2026-04-13", "2026-04-27", "2026-05-11",
            "2026-05-25", "2026-06-08", "2026-06-22", "2026-07-06", "2026-07-20", "2026-08-03",
        ], Dates(due));
        Assert.Equal(Enumerable.Repeat("induction", 8).Concat(Enumerable.Repeat("optimization", 4)).Concat(Enumerable.Repeat("maintenance", 12)),
            due.Select(d => d.Phase));
        Assert.Equal(Enumerable.Range(0, 24), due.Select(d => d.Index));
    }

    [Fact]
    public void DueDates_EsketamineStandardFromSaturday_TwiceWeeklyWrapsToTuesday()
    {
        // Sat 2026-01-10: Saturday (6) + 3 = 9 mod 7 = 2 = Tuesday.
        // Induction: Sat 01-10, Tue 01-13, Sat 01-17, Tue 01-20, Sat 01-24, Tue 01-27, Sat 01-31, Tue 02-03.
        // Last is day 24 → 4 weeks → optimization starts Sat 01-10 + 28 = 02-07.
        var due = ScheduleGenerator.DueDates(Day("2026-01-10"), Template("esketamine-standard", "2026-01-10"), 1);

        Assert.Equal(
            ["2026-01-10", "2026-01-13", "2026-01-17", "2026-01-20", "2026-01-24", "2026-01-27", "2026-01-31", "2026-02-03", "2026-02-07"],
            Dates(due).Take(9));
    }

    [Theory]
    // US clocks change on Sun 2026-03-08. From Fri 03-06: Fri 03-06, Mon 03-09, Wed 03-11, Fri 03-13, Mon 03-16, Wed 03-18.
    [InlineData("2026-03-06", new[] { "2026-03-06", "2026-03-09", "2026-03-11", "2026-03-13", "2026-03-16", "2026-03-18" })]
    // EU clocks change on Sun 2026-03-29. From Fri 03-27: Fri 03-27, Mon 03-30, Wed 04-01, Fri 04-03, Mon 04-06, Wed 04-08.
    [InlineData("2026-03-27", new[] { "2026-03-27", "2026-03-30", "2026-04-01", "2026-04-03", "2026-04-06", "2026-04-08" })]
    public void DueDates_WeekdayPatternAcrossDaylightSavingChange_DatesUnaffected(string start, string[] expected)
    {
        var due = ScheduleGenerator.DueDates(Day(start), [new PlanPhase("mwf", 6, null, MonWedFri)], 1);

        Assert.Equal(expected, Dates(due));
        Assert.Equal(
            [DayOfWeek.Friday, DayOfWeek.Monday, DayOfWeek.Wednesday, DayOfWeek.Friday, DayOfWeek.Monday, DayOfWeek.Wednesday],
            due.Select(d => d.Date.DayOfWeek));
        // Friday → Monday across the 23-hour Sunday is still exactly 3 calendar days.
        Assert.Equal(3, due[1].Date.DayNumber - due[0].Date.DayNumber);
    }

    [Theory]
    // 2028 is a leap year: 02-26, 02-28, then 02-28 + 2 = 02-29 + 1 = 03-01.
    [InlineData("2028-02-26", 2, new[] { "2028-02-26", "2028-02-28", "2028-03-01" })]
    // 2027 is not: 02-28 + 2 = 03-02.
    [InlineData("2027-02-26", 2, new[] { "2027-02-26", "2027-02-28", "2027-03-02" })]
    // 2100 is not (divisible by 100, not by 400): 02-27, 02-28, 03-01.
    [InlineData("2100-02-27", 1, new[] { "2100-02-27", "2100-02-28", "2100-03-01" })]
    public void DueDates_EveryDaysAcrossEndOfFebruary_CountsCalendarDays(string start, int every, string[] expected)
    {
        var due = ScheduleGenerator.DueDates(Day(start), [new PlanPhase("p", 3, every, null)], 1);

        Assert.Equal(expected, Dates(due));
    }

    [Theory]
    // Due 2026-03-01 (February 2026 has 28 days). t = 0 → [03-01, 03-01].
    [InlineData(0, "2026-03-01", "2026-03-01")]
    // t = 1 → [02-28, 03-02].
    [InlineData(1, "2026-02-28", "2026-03-02")]
    // t = 3 → [02-26, 03-04].
    [InlineData(3, "2026-02-26", "2026-03-04")]
    public void DueDates_Window_IsDateMinusAndPlusTolerance(int tolerance, string windowStart, string windowEnd)
    {
        var due = ScheduleGenerator.DueDates(Day("2026-03-01"), [new PlanPhase("p", 2, 7, null)], tolerance);

        Assert.Equal("2026-03-01", Text(due[0].Date));
        Assert.Equal(windowStart, Text(due[0].WindowStart));
        Assert.Equal(windowEnd, Text(due[0].WindowEnd));
        // Second due date 03-08: its window is the first one shifted by 7 days.
        Assert.Equal(due[0].WindowStart.AddDays(7), due[1].WindowStart);
        Assert.Equal(due[0].WindowEnd.AddDays(7), due[1].WindowEnd);
    }

    [Fact]
    public void DueDates_NegativeTolerance_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => ScheduleGenerator.DueDates(Day("2026-03-01"), [new PlanPhase("p", 2, 7, null)], -1));
    }

    [Fact]
    public void DueDates_InvalidPhases_ThrowsWithTheProblems()
    {
        var error = Assert.Throws<ArgumentException>(
            () => ScheduleGenerator.DueDates(Day("2026-03-01"), [new PlanPhase("p", 0, 7, null)], 1));

        Assert.Contains("phases[0].sessions", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, PlanPhase[], string> InvalidPhases => new()
    {
        { "empty list", [], "1 to 10 phases (was 0)" },
        { "eleven phases", Enumerable.Range(0, 11).Select(i => new PlanPhase($"p{i}", 1, 7, null)).ToArray(), "1 to 10 phases (was 11)" },
        { "both", [new PlanPhase("p", 3, 7, [DayOfWeek.Monday])], "phases[0] sets both everyDays and weekdays" },
        { "neither", [new PlanPhase("p", 3, null, null)], "phases[0] sets neither everyDays nor weekdays" },
        { "zero sessions", [new PlanPhase("p", 0, 7, null)], "phases[0].sessions must be 1 to 200 (was 0)" },
        { "201 sessions", [new PlanPhase("p", 201, 7, null)], "phases[0].sessions must be 1 to 200 (was 201)" },
        { "every 0 days", [new PlanPhase("p", 3, 0, null)], "phases[0].everyDays must be 1 to 90 (was 0)" },
        { "every 91 days", [new PlanPhase("p", 3, 91, null)], "phases[0].everyDays must be 1 to 90 (was 91)" },
        { "duplicate weekdays", [new PlanPhase("p", 3, null, [DayOfWeek.Monday, DayOfWeek.Friday, DayOfWeek.Monday])], "phases[0].weekdays lists Monday more than once" },
        { "no weekdays", [new PlanPhase("p", 3, null, [])], "phases[0].weekdays must list 1 to 7 days (was 0)" },
        { "not a weekday", [new PlanPhase("p", 3, null, [(DayOfWeek)7])], "phases[0].weekdays contains a value that is not a day of the week" },
        { "empty name", [new PlanPhase("", 3, 7, null)], "phases[0].name must be 1 to 50 characters" },
        { "blank name", [new PlanPhase("   ", 3, 7, null)], "phases[0].name must be 1 to 50 characters" },
        { "51-character name", [new PlanPhase(new string('n', 51), 3, 7, null)], "phases[0].name must be 1 to 50 characters" },
        { "problem in second phase", [new PlanPhase("ok", 3, 7, null), new PlanPhase("bad", 0, 7, null)], "phases[1].sessions" },
    };

    [Theory]
    [MemberData(nameof(InvalidPhases))]
    public void Validate_InvalidPhases_ReportsOneProblemNamingTheField(string why, PlanPhase[] phases, string expected)
    {
        var problem = Assert.Single(ScheduleGenerator.Validate(phases));

        Assert.True(problem.Contains(expected, StringComparison.Ordinal), $"{why}: \"{problem}\" should contain \"{expected}\".");
    }

    public static TheoryData<string, PlanPhase[]> ValidPhases => new()
    {
        { "ranges at their low ends", [new PlanPhase("p", 1, 1, null), new PlanPhase("q", 1, null, [DayOfWeek.Sunday])] },
        { "ranges at their high ends", [new PlanPhase(new string('n', 50), 200, 90, null)] },
        { "all seven weekdays", [new PlanPhase("daily", 5, null, Enum.GetValues<DayOfWeek>())] },
        { "ten phases", Enumerable.Range(0, 10).Select(i => new PlanPhase($"p{i}", 1, 7, null)).ToArray() },
    };

    [Theory]
    [MemberData(nameof(ValidPhases))]
    public void Validate_ValidPhases_ReportsNothing(string why, PlanPhase[] phases)
    {
        Assert.True(ScheduleGenerator.Validate(phases).Count == 0, why);
    }

    [Fact]
    public void Validate_Templates_ReportNothing()
    {
        foreach (var name in PlanTemplates.Names)
        {
            Assert.Empty(ScheduleGenerator.Validate(Template(name, "2026-01-05")));
        }
    }

    private static IReadOnlyList<PlanPhase> Template(string name, string start) =>
        PlanTemplates.Phases(name, Day(start)) ?? throw new InvalidOperationException($"No template {name}.");

    private static DateOnly Day(string text) => DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Text(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static IEnumerable<string> Dates(IEnumerable<DueDate> due) => due.Select(d => Text(d.Date));
}
