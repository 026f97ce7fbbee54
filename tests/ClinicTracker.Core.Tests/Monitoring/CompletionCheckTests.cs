using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Monitoring;

namespace ClinicTracker.Core.Tests.Monitoring;

public sealed class CompletionCheckTests
{
    private static readonly MonitoringOptions Defaults = new();
    private static readonly DateTime FirstDose = new(2025, 3, 3, 9, 0, 0, DateTimeKind.Utc);

    // Rows: BP readings as seconds after the first device, completion as seconds after it, expected missing codes.
    // Spravato REMS (domain.md §4): ≥ 120 min observation, BP 30–60 min after the first device, a discharge BP
    // (ours: in the 30 min before completion, distinct from the post-dose one).
    public static TheoryData<int[], int, string[]> Esketamine => new()
    {
        // BP at 40 min and 115 min, complete at 120 min → all there.
        { [M(40), M(115)], M(120), [] },
        // Complete at 119 min: 119 < 120 → observation-time (discharge window 89–119 holds the 115 min BP).
        { [M(40), M(115)], M(119), ["observation-time"] },
        // 119 min 59 s is still short.
        { [M(40), M(115)], M(120) - 1, ["observation-time"] },
        // Post-dose window edges: 29 min out, 30 in, 60 in, 61 out.
        { [M(29), M(115)], M(120), ["post-dose-bp"] },
        { [M(30), M(115)], M(120), [] },
        { [M(60), M(115)], M(120), [] },
        { [M(61), M(115)], M(120), ["post-dose-bp"] },
        // 60 min 1 s is past the window.
        { [M(60) + 1, M(115)], M(120), ["post-dose-bp"] },
        // Discharge window for completion at 120 min is 90–120: 90 in, 89 out, 120 in.
        { [M(40), M(90)], M(120), [] },
        { [M(40), M(89)], M(120), ["discharge-bp"] },
        { [M(40), M(120)], M(120), [] },
        // Discharge absent: only the post-dose reading.
        { [M(40)], M(120), ["discharge-bp"] },
        // A reading after completion does not count as discharge.
        { [M(40), M(125)], M(120), ["discharge-bp"] },
        // Later completion at 180 min: window 150–180; a 115 min reading is too early.
        { [M(40), M(115)], M(180), ["discharge-bp"] },
        { [M(40), M(115), M(175)], M(180), [] },
        // Nothing recorded, completed on time: both BPs missing.
        { [], M(120), ["post-dose-bp", "discharge-bp"] },
        // Nothing recorded, completed at 100 min: all three, in order.
        { [], M(100), ["observation-time", "post-dose-bp", "discharge-bp"] },
        // One reading cannot be both: completing at 70 min, window 40–70; the only reading at 45 min serves
        // the post-dose BP → discharge missing (and observation time 70 < 120).
        { [M(45)], M(70), ["observation-time", "discharge-bp"] },
        // Two readings at 45 and 55 min: one is post-dose, the other discharge.
        { [M(45), M(55)], M(70), ["observation-time"] },
        // Pre-dose reading (−10 min) is neither post-dose nor discharge.
        { [-M(10), M(40)], M(120), ["discharge-bp"] },
    };

    [Theory]
    [MemberData(nameof(Esketamine))]
    public void Evaluate_Esketamine(int[] readingSeconds, int completeSeconds, string[] expected)
    {
        var missing = CompletionCheck.Evaluate(Defaults, Medication.Esketamine, AdministrationRoute.Intranasal,
            FirstDose, null, Readings(readingSeconds), FirstDose.AddSeconds(completeSeconds));

        Assert.Equal(expected, missing.Select(m => m.Code));
        Assert.All(missing, m => Assert.False(string.IsNullOrWhiteSpace(m.Description)));
    }

    // Rows: BP readings (seconds after the first infusion start), last infusion start (seconds, null = none recorded),
    // expected missing codes. Completion at 90 min, so the discharge window is 60–90 min. domain.md §4: IV needs a
    // BP during or after the infusion and a discharge BP (ours: two distinct readings).
    public static TheoryData<int[], int?, string[]> Intravenous => new()
    {
        // No BP at all.
        { [], 0, ["infusion-bp", "discharge-bp"] },
        // Only a pre-dose BP (−10 min): before the infusion, and before the first dose so not discharge.
        { [-M(10)], 0, ["infusion-bp", "discharge-bp"] },
        // During the infusion (20 min) and at discharge (85 min) → complete.
        { [M(20), M(85)], 0, [] },
        // Exactly at the infusion start counts as during.
        { [0, M(85)], 0, [] },
        // Only during the infusion → discharge missing.
        { [M(20)], 0, ["discharge-bp"] },
        // Only one reading at 85 min: it is after the infusion start and in the discharge window, but one
        // reading cannot be both; it serves the infusion BP → discharge missing.
        { [M(85)], 0, ["discharge-bp"] },
        // Two readings after the infusion, both in the discharge window (70, 85) → complete.
        { [M(70), M(85)], 0, [] },
        // Without a recorded infusion start the first dose time is used: same as the row above with 20 and 85.
        { [M(20), M(85)], null, [] },
        // A second infusion started at 50 min: the 20 min reading predates it, so only 85 is a candidate for
        // both → discharge missing. With 60 and 85 there are two → complete.
        { [M(20), M(85)], M(50), ["discharge-bp"] },
        { [M(60), M(85)], M(50), [] },
        // A reading after completion (95 min) counts for neither.
        { [M(20), M(95)], 0, ["discharge-bp"] },
    };

    [Theory]
    [MemberData(nameof(Intravenous))]
    public void Evaluate_IntravenousKetamine(int[] readingSeconds, int? lastInfusionStartSeconds, string[] expected)
    {
        DateTime? lastInfusionStart = lastInfusionStartSeconds is { } s ? FirstDose.AddSeconds(s) : null;

        var missing = CompletionCheck.Evaluate(Defaults, Medication.Ketamine, AdministrationRoute.Intravenous,
            FirstDose, lastInfusionStart, Readings(readingSeconds), FirstDose.AddMinutes(90));

        Assert.Equal(expected, missing.Select(m => m.Code));
    }

    [Theory]
    [InlineData(AdministrationRoute.Oral)]
    [InlineData(AdministrationRoute.Sublingual)]
    [InlineData(AdministrationRoute.Intranasal)]
    public void Evaluate_OtherKetamineRoutes_RequireNothing(AdministrationRoute route)
    {
        // domain.md §4 names monitoring for esketamine and IV only: no readings, completed after 5 min → nothing missing.
        var missing = CompletionCheck.Evaluate(Defaults, Medication.Ketamine, route, FirstDose, null, [], FirstDose.AddMinutes(5));

        Assert.Empty(missing);
    }

    [Fact]
    public void Evaluate_UsesConfiguredMinutes()
    {
        var options = new MonitoringOptions
        {
            EsketamineObservationMinutes = 90,
            EsketaminePostDoseBpFromMinutes = 20,
            EsketaminePostDoseBpToMinutes = 40,
            DischargeBpWindowMinutes = 10,
        };

        // Complete at 90 min (≥ 90), post-dose at 20 min (in 20–40), discharge at 80 min (in 80–90) → nothing missing.
        var ok = CompletionCheck.Evaluate(options, Medication.Esketamine, AdministrationRoute.Intranasal,
            FirstDose, null, Readings([M(20), M(80)]), FirstDose.AddMinutes(90));
        // Post-dose at 45 min (> 40) and discharge at 79 min (< 80) → both missing.
        var late = CompletionCheck.Evaluate(options, Medication.Esketamine, AdministrationRoute.Intranasal,
            FirstDose, null, Readings([M(45), M(79)]), FirstDose.AddMinutes(90));

        Assert.Empty(ok);
        Assert.Equal(["post-dose-bp", "discharge-bp"], late.Select(m => m.Code));
    }

    [Fact]
    public void Evaluate_ObservationTime_DescriptionNamesTheMinutes()
    {
        var missing = CompletionCheck.Evaluate(Defaults, Medication.Esketamine, AdministrationRoute.Intranasal,
            FirstDose, null, Readings([M(40), M(110)]), FirstDose.AddMinutes(119));

        var only = Assert.Single(missing);
        Assert.Equal(
            new MissingMonitoring("observation-time", "Esketamine needs 120 min of observation from the first device; completing after 119 min."),
            only);
    }

    [Fact]
    public void Evaluate_EsketamineByAnotherRoute_Throws()
    {
        // Spravato is nasal only (MedicationRoutes.IsAllowed).
        Assert.Throws<ArgumentException>(() => CompletionCheck.Evaluate(Defaults, Medication.Esketamine,
            AdministrationRoute.Intravenous, FirstDose, null, [], FirstDose.AddMinutes(120)));
    }

    [Fact]
    public void Evaluate_CompletionBeforeTheFirstDose_Throws()
    {
        Assert.Throws<ArgumentException>(() => CompletionCheck.Evaluate(Defaults, Medication.Ketamine,
            AdministrationRoute.Intravenous, FirstDose, null, [], FirstDose.AddMinutes(-1)));
    }

    private static int M(int minutes) => minutes * 60;

    private static List<BpReading> Readings(int[] secondsAfterFirstDose) =>
        [.. secondsAfterFirstDose.Select(s => new BpReading(Guid.NewGuid(), FirstDose.AddSeconds(s), 120, 80))];
}
