using static System.FormattableString;

namespace ClinicTracker.Core.Outcomes;

/// <summary>
/// Scoring of PHQ-9 and MADRS from their item answers (domain.md §7): item checks, total, severity
/// band and the PHQ-9 item 9 safety flag. The server always computes the total from the items.
/// </summary>
public static class AssessmentScoring
{
    /// <summary>LOINC: Patient Health Questionnaire 9 item (PHQ-9) total score [Reported].</summary>
    public const string Phq9TotalLoinc = "44261-6";

    /// <summary>LOINC: PHQ-9 item 9, thoughts that you would be better off dead or of hurting yourself.</summary>
    public const string Phq9Item9Loinc = "44260-8";

    // No MADRS total LOINC constant: domain.md names none and none was verified, so none is invented.

    /// <summary>Zero-based index of PHQ-9 item 9 (thoughts of self-harm) in the items list.</summary>
    public const int Phq9SelfHarmItemIndex = 8;

    /// <summary>How many answers the instrument has: PHQ-9 9, MADRS 10.</summary>
    public static int ItemCount(Instrument instrument) => instrument switch
    {
        Instrument.Phq9 => 9,
        Instrument.Madrs => 10,
        _ => throw Unknown(instrument),
    };

    /// <summary>The highest answer to one item: PHQ-9 3 ("nearly every day"), MADRS 6.</summary>
    public static int MaxItemScore(Instrument instrument) => instrument switch
    {
        Instrument.Phq9 => 3,
        Instrument.Madrs => 6,
        _ => throw Unknown(instrument),
    };

    /// <summary>The highest total: PHQ-9 27, MADRS 60.</summary>
    public static int MaxTotal(Instrument instrument) => ItemCount(instrument) * MaxItemScore(instrument);

    /// <summary>
    /// What is wrong with the answers, one message each; empty when they can be scored. A wrong count
    /// is reported as <c>items</c>, each answer out of range as <c>items[i]</c> (zero-based, as sent).
    /// </summary>
    public static IReadOnlyList<string> ValidateItems(Instrument instrument, IReadOnlyList<int> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var count = ItemCount(instrument);
        var max = MaxItemScore(instrument);
        var problems = new List<string>();

        if (items.Count != count)
        {
            problems.Add(Invariant($"items must have exactly {count} answers for {Name(instrument)} (got {items.Count})."));
        }

        // Ranges are judged even when the count is wrong, so one round trip shows every mistake.
        for (var i = 0; i < items.Count; i++)
        {
            if (items[i] < 0 || items[i] > max)
            {
                problems.Add(Invariant($"items[{i}] must be between 0 and {max} for {Name(instrument)} (got {items[i]})."));
            }
        }

        return problems;
    }

    /// <summary>The sum of the answers.</summary>
    /// <exception cref="ArgumentException">The answers fail <see cref="ValidateItems"/>.</exception>
    public static int Total(Instrument instrument, IReadOnlyList<int> items)
    {
        ThrowIfInvalid(instrument, items);
        return items.Sum();
    }

    /// <summary>
    /// The severity band code of a total. PHQ-9 (Kroenke 2001): 0–4 minimal, 5–9 mild, 10–14 moderate,
    /// 15–19 moderately severe, 20–27 severe. MADRS (domain.md §7): 0–6 normal, 7–19 mild, 20–34
    /// moderate, 35–60 severe.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The total is below 0 or above the instrument's maximum.</exception>
    public static string Band(Instrument instrument, int total)
    {
        if (total < 0 || total > MaxTotal(instrument))
        {
            throw new ArgumentOutOfRangeException(nameof(total), total,
                Invariant($"A {Name(instrument)} total lies between 0 and {MaxTotal(instrument)}."));
        }

        return instrument switch
        {
            Instrument.Phq9 => total switch
            {
                <= 4 => AssessmentBands.Minimal,
                <= 9 => AssessmentBands.Mild,
                <= 14 => AssessmentBands.Moderate,
                <= 19 => AssessmentBands.ModeratelySevere,
                _ => AssessmentBands.Severe,
            },
            _ => total switch
            {
                <= 6 => AssessmentBands.Normal,
                <= 19 => AssessmentBands.Mild,
                <= 34 => AssessmentBands.Moderate,
                _ => AssessmentBands.Severe,
            },
        };
    }

    /// <summary>
    /// Whether the answers open a safety flag on the patient: PHQ-9 item 9 (thoughts of self-harm) above 0
    /// (domain.md §7). MADRS never does: the domain defines the flag for PHQ-9 only, and a MADRS is
    /// clinician-rated, so the rater is already with the patient.
    /// </summary>
    /// <exception cref="ArgumentException">The answers fail <see cref="ValidateItems"/>.</exception>
    public static bool RaisesSafetyFlag(Instrument instrument, IReadOnlyList<int> items)
    {
        ThrowIfInvalid(instrument, items);
        return instrument == Instrument.Phq9 && items[Phq9SelfHarmItemIndex] > 0;
    }

    private static void ThrowIfInvalid(Instrument instrument, IReadOnlyList<int> items)
    {
        var problems = ValidateItems(instrument, items);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(items));
        }
    }

    private static string Name(Instrument instrument) => instrument switch
    {
        Instrument.Phq9 => "PHQ-9",
        Instrument.Madrs => "MADRS",
        _ => throw Unknown(instrument),
    };

    private static ArgumentOutOfRangeException Unknown(Instrument instrument) =>
        new(nameof(instrument), instrument, "Unknown instrument.");
}

/// <summary>The stable severity band codes returned by <see cref="AssessmentScoring.Band"/>.</summary>
public static class AssessmentBands
{
    public const string Minimal = "minimal";
    public const string Normal = "normal";
    public const string Mild = "mild";
    public const string Moderate = "moderate";
    public const string ModeratelySevere = "moderately-severe";
    public const string Severe = "severe";
}
