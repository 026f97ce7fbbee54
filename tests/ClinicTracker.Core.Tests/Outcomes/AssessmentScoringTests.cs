using System.Text.Json;
using ClinicTracker.Core.Outcomes;

namespace ClinicTracker.Core.Tests.Outcomes;

public sealed class AssessmentScoringTests
{
    // Rows: instrument, total, expected band. Every band edge from both sides.
    public static TheoryData<Instrument, int, string> Bands => new()
    {
        // Kroenke 2001: PHQ-9 0–4 minimal, 5–9 mild, 10–14 moderate, 15–19 moderately severe, 20–27 severe.
        { Instrument.Phq9, 0, "minimal" },
        { Instrument.Phq9, 4, "minimal" },
        { Instrument.Phq9, 5, "mild" },
        { Instrument.Phq9, 9, "mild" },
        { Instrument.Phq9, 10, "moderate" },
        { Instrument.Phq9, 14, "moderate" },
        { Instrument.Phq9, 15, "moderately-severe" },
        { Instrument.Phq9, 19, "moderately-severe" },
        { Instrument.Phq9, 20, "severe" },
        { Instrument.Phq9, 27, "severe" },
        // domain.md §7: MADRS 0–6 normal, 7–19 mild, 20–34 moderate, 35–60 severe.
        { Instrument.Madrs, 0, "normal" },
        { Instrument.Madrs, 6, "normal" },
        { Instrument.Madrs, 7, "mild" },
        { Instrument.Madrs, 19, "mild" },
        { Instrument.Madrs, 20, "moderate" },
        { Instrument.Madrs, 34, "moderate" },
        { Instrument.Madrs, 35, "severe" },
        { Instrument.Madrs, 60, "severe" },
    };

    [Theory]
    [MemberData(nameof(Bands))]
    public void Band_FollowsThePublishedCutOffs(Instrument instrument, int total, string expected)
    {
        Assert.Equal(expected, AssessmentScoring.Band(instrument, total));
    }

    [Theory]
    [InlineData(Instrument.Phq9, -1)]
    [InlineData(Instrument.Phq9, 28)]  // 9 × 3 = 27 is the highest PHQ-9 total.
    [InlineData(Instrument.Madrs, -1)]
    [InlineData(Instrument.Madrs, 61)] // 10 × 6 = 60 is the highest MADRS total.
    public void Band_TotalOutsideTheScale_Throws(Instrument instrument, int total)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => AssessmentScoring.Band(instrument, total));
    }

    // Rows: instrument, items, expected messages (empty = valid).
    public static TheoryData<Instrument, int[], string[]> Items => new()
    {
        // Valid extremes: nine 0s, nine 3s; ten 0s, ten 6s.
        { Instrument.Phq9, [0, 0, 0, 0, 0, 0, 0, 0, 0], [] },
        { Instrument.Phq9, [3, 3, 3, 3, 3, 3, 3, 3, 3], [] },
        { Instrument.Madrs, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], [] },
        { Instrument.Madrs, [6, 6, 6, 6, 6, 6, 6, 6, 6, 6], [] },
        // PHQ-9 needs exactly 9: 8 and 10 are refused.
        { Instrument.Phq9, [1, 1, 1, 1, 1, 1, 1, 1], ["items must have exactly 9 answers for PHQ-9 (got 8)."] },
        { Instrument.Phq9, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], ["items must have exactly 9 answers for PHQ-9 (got 10)."] },
        // MADRS needs exactly 10: 9 is refused.
        { Instrument.Madrs, [1, 1, 1, 1, 1, 1, 1, 1, 1], ["items must have exactly 10 answers for MADRS (got 9)."] },
        // A 4 on PHQ-9 (max 3), at index 2.
        { Instrument.Phq9, [0, 0, 4, 0, 0, 0, 0, 0, 0], ["items[2] must be between 0 and 3 for PHQ-9 (got 4)."] },
        // Negative on PHQ-9, index 0.
        { Instrument.Phq9, [-1, 0, 0, 0, 0, 0, 0, 0, 0], ["items[0] must be between 0 and 3 for PHQ-9 (got -1)."] },
        // A 7 on MADRS (max 6), last item, index 9.
        { Instrument.Madrs, [0, 0, 0, 0, 0, 0, 0, 0, 0, 7], ["items[9] must be between 0 and 6 for MADRS (got 7)."] },
        // Negative on MADRS, index 4.
        { Instrument.Madrs, [0, 0, 0, 0, -2, 0, 0, 0, 0, 0], ["items[4] must be between 0 and 6 for MADRS (got -2)."] },
        // A 4 is fine on MADRS (max 6).
        { Instrument.Madrs, [4, 4, 4, 4, 4, 4, 4, 4, 4, 4], [] },
        // Wrong count and a bad answer: both reported, count first.
        { Instrument.Phq9, [4], ["items must have exactly 9 answers for PHQ-9 (got 1).", "items[0] must be between 0 and 3 for PHQ-9 (got 4)."] },
        // Two bad answers: each named.
        { Instrument.Phq9, [0, 5, 0, 0, 0, 0, 0, 0, -1], ["items[1] must be between 0 and 3 for PHQ-9 (got 5).", "items[8] must be between 0 and 3 for PHQ-9 (got -1)."] },
        // No answers at all.
        { Instrument.Madrs, [], ["items must have exactly 10 answers for MADRS (got 0)."] },
    };

    [Theory]
    [MemberData(nameof(Items))]
    public void ValidateItems_NamesEachProblem(Instrument instrument, int[] items, string[] expected)
    {
        Assert.Equal(expected, AssessmentScoring.ValidateItems(instrument, items));
    }

    // Rows: instrument, items, expected total (summed by hand).
    public static TheoryData<Instrument, int[], int> Totals => new()
    {
        // 0+1+2+3+0+1+2+3+0 = 12.
        { Instrument.Phq9, [0, 1, 2, 3, 0, 1, 2, 3, 0], 12 },
        // 9 × 3 = 27.
        { Instrument.Phq9, [3, 3, 3, 3, 3, 3, 3, 3, 3], 27 },
        // 6+5+4+3+2+1+0+1+2+3 = 27.
        { Instrument.Madrs, [6, 5, 4, 3, 2, 1, 0, 1, 2, 3], 27 },
        // 10 × 6 = 60.
        { Instrument.Madrs, [6, 6, 6, 6, 6, 6, 6, 6, 6, 6], 60 },
        { Instrument.Madrs, [0, 0, 0, 0, 0, 0, 0, 0, 0, 0], 0 },
    };

    [Theory]
    [MemberData(nameof(Totals))]
    public void Total_IsTheSumOfTheItems(Instrument instrument, int[] items, int expected)
    {
        Assert.Equal(expected, AssessmentScoring.Total(instrument, items));
    }

    [Fact]
    public void Total_InvalidItems_Throws()
    {
        Assert.Throws<ArgumentException>(() => AssessmentScoring.Total(Instrument.Phq9, [1, 1, 1, 1, 1, 1, 1, 1]));
        Assert.Throws<ArgumentException>(() => AssessmentScoring.Total(Instrument.Madrs, [0, 0, 0, 0, 0, 0, 0, 0, 0, 7]));
    }

    // Rows: instrument, items, expected flag.
    public static TheoryData<Instrument, int[], bool> SafetyFlags => new()
    {
        // domain.md §7: PHQ-9 item 9 (index 8) > 0 raises the flag.
        { Instrument.Phq9, [0, 0, 0, 0, 0, 0, 0, 0, 0], false },
        { Instrument.Phq9, [0, 0, 0, 0, 0, 0, 0, 0, 1], true },
        { Instrument.Phq9, [0, 0, 0, 0, 0, 0, 0, 0, 3], true },
        // Severe depression (8 × 3 = 24) but item 9 = 0 → no flag.
        { Instrument.Phq9, [3, 3, 3, 3, 3, 3, 3, 3, 0], false },
        // Item 8 (index 7) is not item 9.
        { Instrument.Phq9, [0, 0, 0, 0, 0, 0, 0, 2, 0], false },
        // MADRS never flags here, even item 10 (suicidal thoughts) at 6: the domain defines the flag for PHQ-9 only.
        { Instrument.Madrs, [0, 0, 0, 0, 0, 0, 0, 0, 6, 6], false },
    };

    [Theory]
    [MemberData(nameof(SafetyFlags))]
    public void RaisesSafetyFlag_OnlyOnPhq9Item9AboveZero(Instrument instrument, int[] items, bool expected)
    {
        Assert.Equal(expected, AssessmentScoring.RaisesSafetyFlag(instrument, items));
    }

    [Fact]
    public void RaisesSafetyFlag_InvalidItems_Throws()
    {
        // Only 8 answers: there is no item 9 to judge.
        Assert.Throws<ArgumentException>(() => AssessmentScoring.RaisesSafetyFlag(Instrument.Phq9, [0, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Codes_AreTheLoincCodesOfDomainSection7()
    {
        Assert.Equal("44261-6", AssessmentScoring.Phq9TotalLoinc);
        Assert.Equal("44260-8", AssessmentScoring.Phq9Item9Loinc);
        Assert.Equal((9, 3, 27), (AssessmentScoring.ItemCount(Instrument.Phq9), AssessmentScoring.MaxItemScore(Instrument.Phq9), AssessmentScoring.MaxTotal(Instrument.Phq9)));
        Assert.Equal((10, 6, 60), (AssessmentScoring.ItemCount(Instrument.Madrs), AssessmentScoring.MaxItemScore(Instrument.Madrs), AssessmentScoring.MaxTotal(Instrument.Madrs)));
    }

    [Fact]
    public void Instruments_SerializeToTheWireNames()
    {
        // The API writes enums with JsonNamingPolicy.KebabCaseLower (Api/Common/JsonSetup.cs).
        Assert.Equal(
            ["phq9", "madrs"],
            Enum.GetValues<Instrument>().Select(i => JsonNamingPolicy.KebabCaseLower.ConvertName(i.ToString())));
    }
}
