using System.Globalization;
using ClinicTracker.Core.Monitoring;

namespace ClinicTracker.Core.Tests.Monitoring;

public sealed class BpGateTests
{
    private static readonly MonitoringOptions Defaults = new();
    private static readonly DateTime Dose = new(2025, 3, 3, 10, 0, 0, DateTimeKind.Utc);

    // Rows: readings as "minutes-before-the-dose systolic/diastolic", separated by ";" (negative minutes = after
    // the dose); expected outcome; index of the deciding reading (−1 = none).
    // Clinic hold rule 140/90 within 60 min (domain.md §4).
    public static TheoryData<string, BpGateOutcome, int> Cases => new()
    {
        // 140/90 exactly is allowed.
        { "10 140/90", BpGateOutcome.Passed, 0 },
        // 141 > 140 → blocked; 91 > 90 → blocked.
        { "10 141/90", BpGateOutcome.Elevated, 0 },
        { "10 140/91", BpGateOutcome.Elevated, 0 },
        { "10 120/80", BpGateOutcome.Passed, 0 },
        // 61 min before: outside the 60 min window → missing.
        { "61 120/80", BpGateOutcome.Missing, -1 },
        // Exactly 60 min before: used.
        { "60 120/80", BpGateOutcome.Passed, 0 },
        { "60 150/80", BpGateOutcome.Elevated, 0 },
        // At the dose instant: used.
        { "0 120/80", BpGateOutcome.Passed, 0 },
        // After the dose: not used → missing.
        { "-5 120/80", BpGateOutcome.Missing, -1 },
        // No readings at all → missing.
        { "", BpGateOutcome.Missing, -1 },
        // Latest wins: high 50 min before, normal repeat 10 min before → passed on the repeat.
        { "50 160/100; 10 128/82", BpGateOutcome.Passed, 1 },
        // And the other way round: normal 50 min before, high 10 min before → elevated.
        { "50 128/82; 10 160/100", BpGateOutcome.Elevated, 1 },
        // A high reading after the dose does not override the in-window normal one.
        { "20 130/85; -2 170/105", BpGateOutcome.Passed, 0 },
        // An old high one outside the window does not count either way → missing.
        { "90 170/100", BpGateOutcome.Missing, -1 },
        // Old (61 min) normal + in-window (30 min) high → elevated on the in-window one.
        { "61 120/80; 30 150/95", BpGateOutcome.Elevated, 1 },
        // Two at the same instant: the elevated one decides, whichever order they came in.
        { "15 130/85; 15 150/95", BpGateOutcome.Elevated, 1 },
        { "15 150/95; 15 130/85", BpGateOutcome.Elevated, 0 },
        // domain.md §4: any elevated reading of the latest time blocks. 120/95 (diastolic 95 > 90) beside 140/85
        // (within 140/90, higher systolic) — the clinical review's case — blocks in either order.
        { "15 120/95; 15 140/85", BpGateOutcome.Elevated, 0 },
        { "15 140/85; 15 120/95", BpGateOutcome.Elevated, 1 },
        // Readings under a minute apart share a time: 140/85 at 15 min and 120/95 30 s later (14.5) → elevated.
        { "15 140/85; 14.5 120/95", BpGateOutcome.Elevated, 1 },
        // …so a normal repeat 30 s after a high reading does not clear it: 150/95, then 120/80 at 14.5 → elevated.
        { "15 150/95; 14.5 120/80", BpGateOutcome.Elevated, 0 },
        // A full minute later it is a repeat: 150/95 at 16, 120/80 at 15 → the latest alone decides → passed.
        { "16 150/95; 15 120/80", BpGateOutcome.Passed, 1 },
        // Both elevated: the larger excess is named — 145/85 is 5 over 140, 135/99 is 9 over 90 → the second.
        { "15 145/85; 15 135/99", BpGateOutcome.Elevated, 1 },
        // Three at one time, two normal: the one elevated blocks.
        { "15 118/76; 15 122/78; 15 138/92", BpGateOutcome.Elevated, 2 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Evaluate_LatestReadingInTheWindowDecides(string readings, BpGateOutcome expected, int deciding)
    {
        var bps = Parse(readings);

        var result = BpGate.Evaluate(Defaults, bps, Dose);

        Assert.Equal(expected, result.Outcome);
        Assert.Equal(deciding < 0 ? null : bps[deciding], result.Reading);
        Assert.False(string.IsNullOrWhiteSpace(result.Detail));
    }

    [Fact]
    public void Evaluate_Detail_NamesTheReadingAndTheLimits()
    {
        var elevated = BpGate.Evaluate(Defaults, [new BpReading(Guid.NewGuid(), Dose.AddMinutes(-12), 141, 90)], Dose);
        var missing = BpGate.Evaluate(Defaults, [], Dose);

        Assert.Equal("Blood pressure 141/90 mmHg taken 12 min before the dose is above 140/90 mmHg.", elevated.Detail);
        Assert.Equal("No blood pressure was taken in this session in the 60 min before the dose.", missing.Detail);
    }

    [Fact]
    public void Evaluate_UsesConfiguredLimitsAndWindow()
    {
        var options = new MonitoringOptions { BpGateSystolicMax = 150, BpGateDiastolicMax = 95, BpGateWindowMinutes = 30 };

        // 145/92 within 150/95 → passed; 151/80 → elevated; 31 min old with a 30 min window → missing.
        Assert.Equal(BpGateOutcome.Passed, BpGate.Evaluate(options, [new BpReading(Guid.NewGuid(), Dose.AddMinutes(-5), 145, 92)], Dose).Outcome);
        Assert.Equal(BpGateOutcome.Elevated, BpGate.Evaluate(options, [new BpReading(Guid.NewGuid(), Dose.AddMinutes(-5), 151, 80)], Dose).Outcome);
        Assert.Equal(BpGateOutcome.Missing, BpGate.Evaluate(options, [new BpReading(Guid.NewGuid(), Dose.AddMinutes(-31), 120, 80)], Dose).Outcome);
    }

    /// <summary>"10 140/90; 50 160/100" → readings 10 and 50 min before the dose (decimal minutes: 14.5 = 14 min 30 s).</summary>
    private static List<BpReading> Parse(string readings) =>
    [
        .. readings.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(r =>
        {
            var parts = r.Split(' ', '/');
            var minutesBefore = double.Parse(parts[0], CultureInfo.InvariantCulture);
            return new BpReading(Guid.NewGuid(), Dose.AddMinutes(-minutesBefore),
                int.Parse(parts[1], CultureInfo.InvariantCulture), int.Parse(parts[2], CultureInfo.InvariantCulture));
        }),
    ];
}
