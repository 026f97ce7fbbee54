using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Outcomes;

namespace ClinicTracker.Core.Tests.Outcomes;

public sealed class ClinicOutcomeCalculatorTests
{
    private static readonly OutcomeOptions Defaults = new();

    // Every plan starts Monday 2026-01-05.
    private static readonly DateOnly Start = new(2026, 1, 5);

    private static ScoredAssessment A(Instrument instrument, string date, int total, int hour = 15)
    {
        var day = DateOnly.Parse(date, System.Globalization.CultureInfo.InvariantCulture);
        return new ScoredAssessment(Guid.NewGuid(), instrument, day, day.ToDateTime(new TimeOnly(hour, 0), DateTimeKind.Utc), total);
    }

    private static ClinicOutcomePlan Plan(
        Medication medication, AdministrationRoute route, decimal[] sessionsMg, decimal? adherence, ScoredAssessment[] assessments,
        DateOnly? endedOn = null) =>
        new(Guid.NewGuid(), medication, route, Start, endedOn, [.. sessionsMg.Select(mg => new ClinicOutcomeSession(mg, 70m))], adherence, assessments);

    /// <summary>
    /// Five plans worked out by hand (response: latest ≤ 0.5 × baseline; remission: PHQ-9 &lt; 5, MADRS ≤ 10; §7):
    /// <code>
    /// P1 IV 35, 35 mg at 70 kg → 0.5, 0.5 → median 0.5 → iv-up-to-0.5; adherence 0.8 → at-least-0.8
    ///    PHQ-9 baseline 01-05 (start day) 20; 01-19 12 (12 > 10); 02-02 9 (≤ 10: first response, day 28); 02-16 4 (latest:
    ///    response, remission 4 &lt; 5). MADRS baseline 12-29 30; 01-26 16 (16 > 15: latest, no response, no remission).
    /// P2 IV 52.5, 56 mg → 0.75, 0.8 → median 0.775 → iv-above-0.75; adherence 0.5 → 0.5-to-0.8
    ///    PHQ-9 baseline 01-02 16; 01-12 8 (≤ 8: first response, day 7); 02-09 10 (latest: relapsed, 10 > 8; no remission).
    ///    No MADRS → not counted.
    /// P3 esketamine 56, 84 mg → median 70 → esketamine-56; adherence none → unknown
    ///    PHQ-9 baseline 01-05 10; 01-07 5 (≤ 5: response day 2; 5 is not &lt; 5: no remission).
    ///    MADRS baseline 01-05 20; 01-19 10 (≤ 10: response day 14; ≤ 10: remission).
    /// P4 esketamine, no dosed session → unknown; adherence 0.4999 → below-0.5
    ///    PHQ-9 only after the start (01-06 15, 01-20 5): no baseline → not counted. MADRS only 01-01 25: no later → not counted.
    /// P5 oral 150 mg → not-banded; adherence 1 → at-least-0.8; ended 01-31
    ///    PHQ-9 baseline 01-05 18; 01-27 9 (≤ 9: response day 22); 02-20 2 after the end → ignored, so the latest is 9:
    ///    responder, no remission (9 ≥ 5). No MADRS.
    /// </code>
    /// </summary>
    private static List<ClinicOutcomePlan> FivePlans() =>
    [
        Plan(Medication.Ketamine, AdministrationRoute.Intravenous, [35m, 35m], 0.8m,
        [
            A(Instrument.Phq9, "2026-01-05", 20), A(Instrument.Phq9, "2026-01-19", 12), A(Instrument.Phq9, "2026-02-02", 9),
            A(Instrument.Phq9, "2026-02-16", 4), A(Instrument.Madrs, "2025-12-29", 30), A(Instrument.Madrs, "2026-01-26", 16),
        ]),
        Plan(Medication.Ketamine, AdministrationRoute.Intravenous, [52.5m, 56m], 0.5m,
            [A(Instrument.Phq9, "2026-02-09", 10), A(Instrument.Phq9, "2026-01-02", 16), A(Instrument.Phq9, "2026-01-12", 8)]),
        Plan(Medication.Esketamine, AdministrationRoute.Intranasal, [56m, 84m], null,
        [
            A(Instrument.Phq9, "2026-01-05", 10), A(Instrument.Phq9, "2026-01-07", 5),
            A(Instrument.Madrs, "2026-01-05", 20), A(Instrument.Madrs, "2026-01-19", 10),
        ]),
        Plan(Medication.Esketamine, AdministrationRoute.Intranasal, [], 0.4999m,
            [A(Instrument.Phq9, "2026-01-06", 15), A(Instrument.Phq9, "2026-01-20", 5), A(Instrument.Madrs, "2026-01-01", 25)]),
        Plan(Medication.Ketamine, AdministrationRoute.Oral, [150m], 1m,
            [A(Instrument.Phq9, "2026-01-05", 18), A(Instrument.Phq9, "2026-01-27", 9), A(Instrument.Phq9, "2026-02-20", 2)],
            endedOn: new DateOnly(2026, 1, 31)),
    ];

    private static ClinicOutcomeFigures F(int counted, int responders, int remitters, decimal? responseRate, decimal? remissionRate,
        int reached, decimal? weeks) => new(counted, responders, remitters, responseRate, remissionRate, reached, weeks);

    [Fact]
    public void Overall_CountsPlansWithBaselineAndLaterAssessment_MedianWeeksOverEvenCount()
    {
        var report = ClinicOutcomeCalculator.Calculate(Defaults, FivePlans());

        // PHQ-9 counted P1, P2, P3, P5 = 4; responders P1, P3, P5 = 3 → 0.75; remitters P1 → 0.25.
        // First responses at days 28, 7, 2, 22 → sorted 2, 7, 22, 28 → (7 + 22) / 2 = 14.5 days → 2.071… → 2.1 weeks.
        // MADRS counted P1, P3 = 2; responders P3 → 0.5; remitters P3 → 0.5; first response P3 day 14 → 2.0 weeks.
        Assert.Equal(new ClinicOutcomeGroup("all", 5, F(4, 3, 1, 0.75m, 0.25m, 4, 2.1m), F(2, 1, 1, 0.5m, 0.5m, 1, 2.0m)), report.Overall);
    }

    [Fact]
    public void ByRoute_GroupsInRouteOrder_LeavingOutRoutesWithNoPlan()
    {
        var report = ClinicOutcomeCalculator.Calculate(Defaults, FivePlans());

        Assert.Equal(
        [
            // P1, P2. PHQ-9 counted 2, responder P1 → 0.5, remitter P1 → 0.5; days 28, 7 → 17.5 → 2.5 weeks.
            // MADRS counted P1 only: no responder → 0, no remitter → 0, no time.
            new("intravenous", 2, F(2, 1, 1, 0.5m, 0.5m, 2, 2.5m), F(1, 0, 0, 0m, 0m, 0, null)),
            // P3, P4 (P4 counts for neither instrument). PHQ-9: P3, day 2 → 0.285… → 0.3 weeks. MADRS: P3, day 14 → 2.0.
            new("intranasal", 2, F(1, 1, 0, 1m, 0m, 1, 0.3m), F(1, 1, 1, 1m, 1m, 1, 2.0m)),
            // P5: day 22 → 3.142… → 3.1 weeks; no MADRS → nothing counted, rates null.
            new("oral", 1, F(1, 1, 0, 1m, 0m, 1, 3.1m), F(0, 0, 0, null, null, 0, null)),
        ],
        report.ByRoute);
    }

    [Fact]
    public void ByDoseBand_PutsPlansWithoutADoseInUnknown_AndOtherRoutesInNotBanded()
    {
        var report = ClinicOutcomeCalculator.Calculate(Defaults, FivePlans());

        Assert.Equal(
        [
            // P1: PHQ-9 responder and remitter, day 28 → 4.0 weeks; MADRS counted, neither.
            new(ClinicOutcomeBands.IvUpTo05, 1, F(1, 1, 1, 1m, 1m, 1, 4.0m), F(1, 0, 0, 0m, 0m, 0, null)),
            // P2: reached response at day 7 (1.0 week) but relapsed: not a responder.
            new(ClinicOutcomeBands.IvAbove075, 1, F(1, 0, 0, 0m, 0m, 1, 1.0m), F(0, 0, 0, null, null, 0, null)),
            new(ClinicOutcomeBands.Esketamine56, 1, F(1, 1, 0, 1m, 0m, 1, 0.3m), F(1, 1, 1, 1m, 1m, 1, 2.0m)),
            new(ClinicOutcomeBands.NotBanded, 1, F(1, 1, 0, 1m, 0m, 1, 3.1m), F(0, 0, 0, null, null, 0, null)),
            // P4 has no dosed session: its own group, never dropped.
            new(ClinicOutcomeBands.Unknown, 1, F(0, 0, 0, null, null, 0, null), F(0, 0, 0, null, null, 0, null)),
        ],
        report.ByDoseBand);
    }

    [Fact]
    public void ByAdherenceBand_EdgesGoUp_AndNoRateIsUnknown()
    {
        var report = ClinicOutcomeCalculator.Calculate(Defaults, FivePlans());

        Assert.Equal(
        [
            // P1 (0.8 exactly) and P5 (1): PHQ-9 counted 2, responders 2 → 1, remitter P1 → 0.5; days 28, 22 → 25 → 3.57… → 3.6.
            new(ClinicOutcomeBands.AdherenceAtLeast08, 2, F(2, 2, 1, 1m, 0.5m, 2, 3.6m), F(1, 0, 0, 0m, 0m, 0, null)),
            // P2 (0.5 exactly).
            new(ClinicOutcomeBands.Adherence05To08, 1, F(1, 0, 0, 0m, 0m, 1, 1.0m), F(0, 0, 0, null, null, 0, null)),
            // P4 (0.4999).
            new(ClinicOutcomeBands.AdherenceBelow05, 1, F(0, 0, 0, null, null, 0, null), F(0, 0, 0, null, null, 0, null)),
            // P3 (nothing due).
            new(ClinicOutcomeBands.Unknown, 1, F(1, 1, 0, 1m, 0m, 1, 0.3m), F(1, 1, 1, 1m, 1m, 1, 2.0m)),
        ],
        report.ByAdherenceBand);
    }

    [Fact]
    public void AssessmentsAfterThePlanEnded_DoNotCount()
    {
        // P5 alone with and without its end date: ended 01-31, the 02-20 total of 2 is ignored (latest 9, no remission);
        // still active, 2 is the latest (2 ≤ 9 response, 2 < 5 remission). The first response (01-27, day 22) is the same.
        var ended = FivePlans()[4];
        var active = ended with { EndedOn = null };

        Assert.Equal(F(1, 1, 0, 1m, 0m, 1, 3.1m), ClinicOutcomeCalculator.Calculate(Defaults, [ended]).Overall.Phq9);
        Assert.Equal(F(1, 1, 1, 1m, 1m, 1, 3.1m), ClinicOutcomeCalculator.Calculate(Defaults, [active]).Overall.Phq9);
    }

    [Fact]
    public void SecondAssessmentOnTheStartDay_IsTheBaseline_NotALaterOne()
    {
        // Both on the start day: the baseline is the latest on or before the start (15:00), so there is no later
        // assessment and the plan does not count (domain.md §13) — though 4 ≤ 0.5 × 20 would look like a response.
        var plan = Plan(Medication.Ketamine, AdministrationRoute.Intravenous, [35m], 1m,
            [A(Instrument.Phq9, "2026-01-05", 20, hour: 9), A(Instrument.Phq9, "2026-01-05", 4, hour: 15)]);

        var report = ClinicOutcomeCalculator.Calculate(Defaults, [plan]);

        Assert.Equal(F(0, 0, 0, null, null, 0, null), report.Overall.Phq9);
        Assert.Equal(1, report.Overall.Plans);
    }

    [Fact]
    public void ResponseFraction_FromOptions_IsApplied()
    {
        // With response at ≤ 40 % of baseline: P1's 02-02 total 9 > 8 is no longer a response, 02-16 total 4 ≤ 8 is
        // (day 42 → 6.0 weeks). The rule is OutcomeCalculator's, so the option reaches the report unchanged.
        var strict = new OutcomeOptions { ResponseFraction = 0.4m };

        var report = ClinicOutcomeCalculator.Calculate(strict, [FivePlans()[0]]);

        Assert.Equal(F(1, 1, 1, 1m, 1m, 1, 6.0m), report.Overall.Phq9);
    }

    [Fact]
    public void NoPlans_GivesEmptyGroupsAndNullRates()
    {
        var report = ClinicOutcomeCalculator.Calculate(Defaults, []);

        Assert.Equal(new ClinicOutcomeGroup("all", 0, F(0, 0, 0, null, null, 0, null), F(0, 0, 0, null, null, 0, null)), report.Overall);
        Assert.Empty(report.ByRoute);
        Assert.Empty(report.ByDoseBand);
        Assert.Empty(report.ByAdherenceBand);
    }
}
