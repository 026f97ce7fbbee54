using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Tests.Dosing;

/// <summary>domain.md §3: the heaviest 24-hour window that holds the new dose, over the patient's standing doses.</summary>
public sealed class DoseWindowTests
{
    private static readonly DateTime Noon = new(2026, 3, 10, 12, 0, 0, DateTimeKind.Utc);

    // Rows: other doses as "hours-relative-to-the-new-dose:mg" (negative = before), separated by ";";
    // expected prior total in mg; expected counted doses (indexes into the list), in time order.
    public static TheoryData<string, decimal, int[]> Cases => new()
    {
        // Nothing else → 0.
        { "", 0m, [] },
        // The same session's first dose an hour before → counted (the session total as before).
        { "-1:35", 35m, [0] },
        // A second session the same day: 52.5 mg 3 h before → counted (the clinical review's hole).
        { "-3:52.5", 52.5m, [0] },
        // Exactly 24 h before: the window is (t − 24 h, t] → outside.
        { "-24:52.5", 0m, [] },
        // 23.5 h before → inside.
        { "-23.5:52.5", 52.5m, [0] },
        // 25 h and 2 h before → only the 2 h one.
        { "-25:52.5; -2:10", 10m, [1] },
        // Back-entry: a dose recorded 4 h AFTER the new one. The window ending at it (t+4 h − 24 h, t+4 h] holds
        // both → 52.5 counted, though the 24 h ending at the new dose holds nothing.
        { "4:52.5", 52.5m, [0] },
        // A later dose 24 h after or more never shares a window with the new one.
        { "24:52.5", 0m, [] },
        // Before and after: 30 mg at −20 h, 40 mg at +5 h. Window ending now: 30. Window ending at +5 h:
        // (−19 h, +5 h] holds only the +5 h dose → 40. Both 30 and 40 never share a window with the new one
        // (25 h apart), so the heavier is 40.
        { "-20:30; 5:40", 40m, [1] },
        // 20 mg at −10 h, 25 mg at +10 h: both lie in (−14 h, +10 h] → 45 (that window ending at +10 h).
        { "-10:20; 10:25", 45m, [0, 1] },
        // Equal totals: 30 mg at −2 h vs 30 mg at +23 h → 30 either way; the window ending at the new dose is named.
        { "-2:30; 23:30", 30m, [0] },
        // A dose at the very same instant counts (t is in (t − 24 h, t]).
        { "0:28", 28m, [0] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Heaviest_CountsTheHeaviestWindowHoldingTheNewDose(string others, decimal priorMg, int[] counted)
    {
        var doses = Parse(others);

        var window = DoseWindow.Heaviest(doses, Noon);

        Assert.Equal(priorMg, window.PriorMg);
        Assert.Equal(counted.Select(i => doses[i].Id), window.Counted.Select(d => d.Id));
    }

    [Fact]
    public void Heaviest_IgnoresInputOrder()
    {
        var doses = Parse("10:25; -10:20; -30:99");

        var forward = DoseWindow.Heaviest(doses, Noon);
        var backward = DoseWindow.Heaviest([.. Enumerable.Reverse(doses)], Noon);

        Assert.Equal(45m, forward.PriorMg);
        Assert.Equal(forward.Counted, backward.Counted);
    }

    /// <summary>"-3:52.5; 4:10" → 52.5 mg three hours before noon, 10 mg four hours after.</summary>
    private static List<CountedDose> Parse(string doses) =>
    [
        .. doses.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(d =>
        {
            var parts = d.Split(':');
            var hours = double.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
            var mg = decimal.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            return new CountedDose(Guid.NewGuid(), Guid.NewGuid(), (long)(mg * 1000m), Noon.AddHours(hours));
        }),
    ];
}
