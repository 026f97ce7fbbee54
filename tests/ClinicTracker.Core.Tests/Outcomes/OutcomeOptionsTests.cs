using ClinicTracker.Core.Outcomes;

namespace ClinicTracker.Core.Tests.Outcomes;

public sealed class OutcomeOptionsTests
{
    [Fact]
    public void Defaults_AreTheDomainNumbers_AndValid()
    {
        var o = new OutcomeOptions();

        // domain.md §7: remission PHQ-9 < 5, MADRS ≤ 10; response ≤ 50 % of baseline.
        Assert.Equal((5, 10, 0.5m), (o.Phq9RemissionBelow, o.MadrsRemissionAtMost, o.ResponseFraction));
        Assert.Equal("Outcomes", OutcomeOptions.Section);
        Assert.Empty(o.Validate());
    }

    // Rows: PHQ-9 below, MADRS at most, response fraction, expected messages.
    public static TheoryData<int, int, decimal, string[]> Settings => new()
    {
        // Edges that still make sense: below 1 (only 0 remits), below 27; MADRS at most 0 or 59; fraction just inside (0, 1).
        { 1, 0, 0.01m, [] },
        { 27, 59, 0.99m, [] },
        // PHQ-9 below 0 would never remit; below 28 would always remit (max total 27).
        { 0, 10, 0.5m, ["Outcomes:Phq9RemissionBelow (0) must be between 1 and 27."] },
        { 28, 10, 0.5m, ["Outcomes:Phq9RemissionBelow (28) must be between 1 and 27."] },
        // MADRS at most -1 never remits; at most 60 always remits (max total 60).
        { 5, -1, 0.5m, ["Outcomes:MadrsRemissionAtMost (-1) must be between 0 and 59."] },
        { 5, 60, 0.5m, ["Outcomes:MadrsRemissionAtMost (60) must be between 0 and 59."] },
        // Fraction 0 makes response need a total of 0; 1 makes no change a response; negative is nonsense.
        { 5, 10, 0m, ["Outcomes:ResponseFraction (0) must be greater than 0 and less than 1."] },
        { 5, 10, 1m, ["Outcomes:ResponseFraction (1) must be greater than 0 and less than 1."] },
        { 5, 10, -0.5m, ["Outcomes:ResponseFraction (-0.5) must be greater than 0 and less than 1."] },
        // All three wrong: all three reported, in property order.
        {
            -3, 61, 1.5m,
            [
                "Outcomes:Phq9RemissionBelow (-3) must be between 1 and 27.",
                "Outcomes:MadrsRemissionAtMost (61) must be between 0 and 59.",
                "Outcomes:ResponseFraction (1.5) must be greater than 0 and less than 1.",
            ]
        },
    };

    [Theory]
    [MemberData(nameof(Settings))]
    public void Validate_NamesEachSettingThatMakesNoSense(int phq9Below, int madrsAtMost, decimal fraction, string[] expected)
    {
        var o = new OutcomeOptions { Phq9RemissionBelow = phq9Below, MadrsRemissionAtMost = madrsAtMost, ResponseFraction = fraction };

        Assert.Equal(expected, o.Validate());
    }
}
