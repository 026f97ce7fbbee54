using ClinicTracker.Core.Common;
using static System.FormattableString;

namespace ClinicTracker.Core.Outcomes;

/// <summary>
/// The response and remission cut-offs of domain.md §7, bound from the "Outcomes" configuration section.
/// Defaults are the domain's; a clinic changes them in configuration, never in code.
/// </summary>
public sealed class OutcomeOptions : IValidatableOptions
{
    public const string Section = "Outcomes";

    /// <summary>PHQ-9 remission: latest total strictly below this (domain.md §7 default: &lt; 5, the top of "minimal").</summary>
    public int Phq9RemissionBelow { get; set; } = 5;

    /// <summary>MADRS remission: latest total at most this (domain.md §7 default: ≤ 10).</summary>
    public int MadrsRemissionAtMost { get; set; } = 10;

    /// <summary>Response: latest total at most this fraction of baseline (domain.md §7: 50 % of baseline).</summary>
    public decimal ResponseFraction { get; set; } = 0.5m;

    /// <summary>
    /// Settings that make no sense, each naming its configuration key; empty when usable. A remission
    /// cut-off must leave some total outside remission and some inside (PHQ-9 below 1..27, MADRS at
    /// most 0..59); the response fraction must lie strictly between 0 and 1.
    /// </summary>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();

        if (Phq9RemissionBelow is < 1 or > 27)
        {
            problems.Add(Invariant($"{Section}:{nameof(Phq9RemissionBelow)} ({Phq9RemissionBelow}) must be between 1 and 27."));
        }

        if (MadrsRemissionAtMost is < 0 or > 59)
        {
            problems.Add(Invariant($"{Section}:{nameof(MadrsRemissionAtMost)} ({MadrsRemissionAtMost}) must be between 0 and 59."));
        }

        if (ResponseFraction is <= 0m or >= 1m)
        {
            problems.Add(Invariant($"{Section}:{nameof(ResponseFraction)} ({ResponseFraction}) must be greater than 0 and less than 1."));
        }

        return problems;
    }
}
