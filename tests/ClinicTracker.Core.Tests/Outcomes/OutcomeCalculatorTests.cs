using ClinicTracker.Core.Outcomes;

namespace ClinicTracker.Core.Tests.Outcomes;

public sealed class OutcomeCalculatorTests
{
    private static readonly OutcomeOptions Defaults = new();
    private static readonly DateOnly Start = new(2025, 3, 10);

    // Rows: instrument, baseline total, latest total, expected change, percent change, response.
    // Baseline is dated before the start, latest after it.
    public static TheoryData<Instrument, int, int, int, decimal?, bool> ChangeAndResponse => new()
    {
        // 10 ≤ 0.5 × 20 = 10 → response (exactly half counts). Change 10 − 20 = −10; −10 / 20 × 100 = −50.0.
        { Instrument.Phq9, 20, 10, -10, -50.0m, true },
        // 11 > 10 → no response. −9 / 20 × 100 = −45.0.
        { Instrument.Phq9, 20, 11, -9, -45.0m, false },
        // Odd baseline: 0.5 × 15 = 7.5; 7 ≤ 7.5 → response. −8 / 15 × 100 = −53.33… → −53.3.
        { Instrument.Phq9, 15, 7, -8, -53.3m, true },
        // 8 > 7.5 → no response. −7 / 15 × 100 = −46.66… → −46.7.
        { Instrument.Phq9, 15, 8, -7, -46.7m, false },
        // −1 / 16 × 100 = −6.25 exactly: away from zero → −6.3 (banker's rounding would give −6.2).
        { Instrument.Phq9, 16, 15, -1, -6.3m, false },
        // Worse: +1 / 16 × 100 = +6.25 → 6.3.
        { Instrument.Phq9, 16, 17, 1, 6.3m, false },
        // −1 / 3 × 100 = −33.33… → −33.3; 2 > 1.5 → no response.
        { Instrument.Phq9, 3, 2, -1, -33.3m, false },
        // No change: 0, 0.0 %, 10 > 5 → no response.
        { Instrument.Phq9, 10, 10, 0, 0.0m, false },
        // MADRS: 15 ≤ 0.5 × 30 = 15 → response; −15 / 30 × 100 = −50.0.
        { Instrument.Madrs, 30, 15, -15, -50.0m, true },
        // MADRS: 16 > 15 → no response; −14 / 30 × 100 = −46.66… → −46.7.
        { Instrument.Madrs, 30, 16, -14, -46.7m, false },
        // MADRS odd baseline 35: 0.5 × 35 = 17.5; 17 ≤ 17.5 → response; −18 / 35 × 100 = −51.428… → −51.4.
        { Instrument.Madrs, 35, 17, -18, -51.4m, true },
        // Baseline 0: percent undefined → null; response false by our rule (nothing to halve), even at 0.
        { Instrument.Phq9, 0, 0, 0, null, false },
        { Instrument.Phq9, 0, 3, 3, null, false },
    };

    [Theory]
    [MemberData(nameof(ChangeAndResponse))]
    public void Calculate_ChangePercentAndResponse(Instrument instrument, int baseline, int latest, int change, decimal? percent, bool response)
    {
        var assessments = new[]
        {
            Scored(instrument, new DateOnly(2025, 3, 8), baseline),
            Scored(instrument, new DateOnly(2025, 4, 7), latest),
        };

        var outcome = Assert.Single(OutcomeCalculator.Calculate(Defaults, assessments, Start));

        Assert.Equal((baseline, latest), (outcome.Baseline!.Total, outcome.Latest!.Total));
        Assert.Equal(change, outcome.Change);
        Assert.Equal(percent, outcome.PercentChange);
        Assert.Equal(response, outcome.Response);
    }

    // Rows: instrument, latest total, expected remission.
    public static TheoryData<Instrument, int, bool> Remission => new()
    {
        // domain.md §7 defaults: PHQ-9 < 5 → 4 yes, 5 no.
        { Instrument.Phq9, 4, true },
        { Instrument.Phq9, 5, false },
        { Instrument.Phq9, 0, true },
        // MADRS ≤ 10 → 10 yes, 11 no.
        { Instrument.Madrs, 10, true },
        { Instrument.Madrs, 11, false },
        { Instrument.Madrs, 0, true },
    };

    [Theory]
    [MemberData(nameof(Remission))]
    public void Calculate_RemissionCutOffs(Instrument instrument, int latest, bool expected)
    {
        // A baseline of 25 before the start does not change remission, which judges the latest only.
        var assessments = new[]
        {
            Scored(instrument, new DateOnly(2025, 3, 1), 25),
            Scored(instrument, new DateOnly(2025, 4, 1), latest),
        };

        var outcome = Assert.Single(OutcomeCalculator.Calculate(Defaults, assessments, Start));

        Assert.Equal(expected, outcome.Remission);
    }

    [Fact]
    public void Calculate_Baseline_IsTheLatestOnOrBeforeTheStart()
    {
        // PHQ-9 on 1 Mar (22) and 8 Mar (18) before the 10 Mar start, 20 Mar (9) after, given out of order.
        var march1 = Scored(Instrument.Phq9, new DateOnly(2025, 3, 1), 22);
        var march8 = Scored(Instrument.Phq9, new DateOnly(2025, 3, 8), 18);
        var march20 = Scored(Instrument.Phq9, new DateOnly(2025, 3, 20), 9);

        var outcome = Assert.Single(OutcomeCalculator.Calculate(Defaults, [march20, march1, march8], Start));

        // Baseline 8 Mar (18), not 1 Mar; latest 20 Mar (9). 9 − 18 = −9; −9 / 18 × 100 = −50.0; 9 ≤ 9 → response;
        // 9 is not < 5 → no remission.
        Assert.Equal(march8.Id, outcome.Baseline!.AssessmentId);
        Assert.Equal(march20.Id, outcome.Latest!.AssessmentId);
        Assert.Equal((-9, -50.0m, true, false), (outcome.Change, outcome.PercentChange, outcome.Response, outcome.Remission));
        Assert.Equal([march1.Id, march8.Id, march20.Id], outcome.Trajectory.Select(p => p.AssessmentId));
        // Bands: 22 severe, 18 moderately severe, 9 mild.
        Assert.Equal(["severe", "moderately-severe", "mild"], outcome.Trajectory.Select(p => p.Band));
    }

    [Fact]
    public void Calculate_AssessmentOnTheStartDate_IsTheBaseline()
    {
        // 1 Mar (21), 10 Mar = the start date (19), 24 Mar (8): 10 Mar is on or before the start → baseline.
        var before = Scored(Instrument.Phq9, new DateOnly(2025, 3, 1), 21);
        var onStart = Scored(Instrument.Phq9, Start, 19);
        var after = Scored(Instrument.Phq9, new DateOnly(2025, 3, 24), 8);

        var outcome = Assert.Single(OutcomeCalculator.Calculate(Defaults, [before, onStart, after], Start));

        // 8 − 19 = −11; −11 / 19 × 100 = −57.894… → −57.9; 8 ≤ 9.5 → response.
        Assert.Equal(onStart.Id, outcome.Baseline!.AssessmentId);
        Assert.Equal((-11, -57.9m, true), (outcome.Change, outcome.PercentChange, outcome.Response));
    }

    [Fact]
    public void Calculate_TwoOnTheStartDate_TheLaterOneIsTheBaseline()
    {
        // Both dated 10 Mar; 09:00 (20) and 14:00 (16) UTC → 14:00 is the latest on or before the start.
        var morning = new ScoredAssessment(Guid.NewGuid(), Instrument.Madrs, Start, new DateTime(2025, 3, 10, 9, 0, 0, DateTimeKind.Utc), 20);
        var afternoon = new ScoredAssessment(Guid.NewGuid(), Instrument.Madrs, Start, new DateTime(2025, 3, 10, 14, 0, 0, DateTimeKind.Utc), 16);
        var later = Scored(Instrument.Madrs, new DateOnly(2025, 3, 31), 8);

        var outcome = Assert.Single(OutcomeCalculator.Calculate(Defaults, [afternoon, later, morning], Start));

        // 8 − 16 = −8; −8 / 16 × 100 = −50.0; 8 ≤ 8 → response; 8 ≤ 10 → remission.
        Assert.Equal(afternoon.Id, outcome.Baseline!.AssessmentId);
        Assert.Equal((-8, -50.0m, true, true), (outcome.Change, outcome.PercentChange, outcome.Response, outcome.Remission));
    }

    [Fact]
    public void Calculate_BaselineUsesTheClinicLocalDate_NotTheUtcDate()
    {
        // A New York clinic: assessed 10 Mar 21:30 local = 11 Mar 01:30 UTC. The caller's local Date 10 Mar is on the start → baseline.
        var evening = new ScoredAssessment(Guid.NewGuid(), Instrument.Phq9, Start, new DateTime(2025, 3, 11, 1, 30, 0, DateTimeKind.Utc), 14);
        var later = Scored(Instrument.Phq9, new DateOnly(2025, 3, 25), 7);

        var outcome = Assert.Single(OutcomeCalculator.Calculate(Defaults, [evening, later], Start));

        // 7 − 14 = −7; −50.0 %; 7 ≤ 7 → response.
        Assert.Equal(evening.Id, outcome.Baseline!.AssessmentId);
        Assert.Equal((-7, -50.0m, true), (outcome.Change, outcome.PercentChange, outcome.Response));
    }

    [Fact]
    public void Calculate_NothingOnOrBeforeTheStart_HasNoBaseline()
    {
        // 11 Mar (20) is a day after the 10 Mar start → not a baseline; latest 25 Mar (4).
        var assessments = new[]
        {
            Scored(Instrument.Phq9, new DateOnly(2025, 3, 11), 20),
            Scored(Instrument.Phq9, new DateOnly(2025, 3, 25), 4),
        };

        var outcome = Assert.Single(OutcomeCalculator.Calculate(Defaults, assessments, Start));

        // No baseline → change, percent, response null; remission still judged: 4 < 5.
        Assert.Null(outcome.Baseline);
        Assert.Equal(4, outcome.Latest!.Total);
        Assert.Equal((null, null, null, true), (outcome.Change, outcome.PercentChange, outcome.Response, outcome.Remission));
        Assert.Equal(2, outcome.Trajectory.Count);
    }

    [Fact]
    public void Calculate_NoPlanStart_HasNoBaseline()
    {
        // 12 on 1 Mar, 11 on 1 Apr: no plan → no baseline; 11 ≤ 10? no → MADRS no remission.
        var assessments = new[]
        {
            Scored(Instrument.Madrs, new DateOnly(2025, 3, 1), 12),
            Scored(Instrument.Madrs, new DateOnly(2025, 4, 1), 11),
        };

        var outcome = Assert.Single(OutcomeCalculator.Calculate(Defaults, assessments, null));

        Assert.Null(outcome.Baseline);
        Assert.Equal((null, null, null, false), (outcome.Change, outcome.PercentChange, outcome.Response, outcome.Remission));
    }

    [Fact]
    public void Calculate_OnlyBeforeTheStart_LatestIsTheBaseline()
    {
        // One PHQ-9 of 17 on 5 Mar, start 10 Mar: baseline = latest; change 0, 0.0 %, 17 > 8.5 → no response.
        var only = Scored(Instrument.Phq9, new DateOnly(2025, 3, 5), 17);

        var outcome = Assert.Single(OutcomeCalculator.Calculate(Defaults, [only], Start));

        Assert.Equal(only.Id, outcome.Baseline!.AssessmentId);
        Assert.Equal(only.Id, outcome.Latest!.AssessmentId);
        Assert.Equal((0, 0.0m, false, false), (outcome.Change, outcome.PercentChange, outcome.Response, outcome.Remission));
        Assert.Equal("moderately-severe", outcome.Latest.Band);
    }

    [Fact]
    public void Calculate_OneOutcomePerInstrument_Phq9ThenMadrs()
    {
        // MADRS given first; each instrument keeps its own baseline.
        var assessments = new[]
        {
            Scored(Instrument.Madrs, new DateOnly(2025, 3, 9), 32),
            Scored(Instrument.Madrs, new DateOnly(2025, 4, 6), 12),
            Scored(Instrument.Phq9, new DateOnly(2025, 3, 9), 18),
            Scored(Instrument.Phq9, new DateOnly(2025, 4, 6), 3),
        };

        var outcomes = OutcomeCalculator.Calculate(Defaults, assessments, Start);

        Assert.Equal([Instrument.Phq9, Instrument.Madrs], outcomes.Select(o => o.Instrument));
        // PHQ-9: 3 − 18 = −15; −15 / 18 × 100 = −83.33… → −83.3; 3 ≤ 9 → response; 3 < 5 → remission.
        Assert.Equal((-15, -83.3m, true, true), (outcomes[0].Change, outcomes[0].PercentChange, outcomes[0].Response, outcomes[0].Remission));
        // MADRS: 12 − 32 = −20; −20 / 32 × 100 = −62.5; 12 ≤ 16 → response; 12 > 10 → no remission.
        Assert.Equal((-20, -62.5m, true, false), (outcomes[1].Change, outcomes[1].PercentChange, outcomes[1].Response, outcomes[1].Remission));
    }

    [Fact]
    public void Calculate_InstrumentWithoutAssessments_IsLeftOut()
    {
        var madrsOnly = OutcomeCalculator.Calculate(Defaults, [Scored(Instrument.Madrs, Start, 20)], Start);

        Assert.Equal([Instrument.Madrs], madrsOnly.Select(o => o.Instrument));
        Assert.Empty(OutcomeCalculator.Calculate(Defaults, [], Start));
    }

    [Fact]
    public void Calculate_UsesConfiguredCutOffs()
    {
        var options = new OutcomeOptions { Phq9RemissionBelow = 10, ResponseFraction = 0.6m };
        var assessments = new[]
        {
            Scored(Instrument.Phq9, new DateOnly(2025, 3, 1), 20),
            Scored(Instrument.Phq9, new DateOnly(2025, 4, 1), 9),
        };

        var outcome = Assert.Single(OutcomeCalculator.Calculate(options, assessments, Start));

        // 9 ≤ 0.6 × 20 = 12 → response; 9 < 10 → remission (with defaults 9 is not < 5).
        Assert.Equal((true, true), (outcome.Response, outcome.Remission));
    }

    [Fact]
    public void Calculate_TotalOutsideTheScale_Throws()
    {
        // 28 > 27, the highest PHQ-9 total.
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            OutcomeCalculator.Calculate(Defaults, [Scored(Instrument.Phq9, Start, 28)], Start));
    }

    /// <summary>An assessment at 15:00 UTC on its date.</summary>
    private static ScoredAssessment Scored(Instrument instrument, DateOnly date, int total) =>
        new(Guid.NewGuid(), instrument, date, date.ToDateTime(new TimeOnly(15, 0), DateTimeKind.Utc), total);
}
