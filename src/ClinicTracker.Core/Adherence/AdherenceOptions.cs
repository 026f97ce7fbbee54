using ClinicTracker.Core.Common;
using static System.FormattableString;

namespace ClinicTracker.Core.Adherence;

/// <summary>
/// The clinic settings of the adherence reports, bound from the "Adherence" configuration section. The
/// defaults are the *defaults* of domain.md §10; a clinic changes them in configuration, never in code.
/// </summary>
public sealed class AdherenceOptions : IValidatableOptions
{
    public const string Section = "Adherence";

    /// <summary>Persistent = no gap in treatment longer than this many days (domain.md §10 rule 5, default 60).</summary>
    public int PersistenceGapDays { get; set; } = 60;

    /// <summary>
    /// The clinic-wide report lists active plans whose adherence rate is below this when a request names
    /// no threshold (domain.md §10, default 0.8).
    /// </summary>
    public decimal DefaultBelowThreshold { get; set; } = 0.8m;

    /// <summary>
    /// How often each instance refreshes the adherence summaries whose figures the passing of time changed
    /// (a due window closing at midnight in the plan's zone), in seconds; default 60. Until then the report
    /// computes those plans itself, so a longer interval costs report time, never correctness (ADR 0016).
    /// </summary>
    public int SummaryRefreshSeconds { get; set; } = 60;

    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (SummaryRefreshSeconds is < 1 or > 86_400)
        {
            problems.Add(Invariant($"{Section}:{nameof(SummaryRefreshSeconds)} ({SummaryRefreshSeconds}) must be between 1 and 86400."));
        }

        if (PersistenceGapDays is < 1 or > 3650)
        {
            problems.Add(Invariant($"{Section}:{nameof(PersistenceGapDays)} ({PersistenceGapDays}) must be between 1 and 3650."));
        }

        if (DefaultBelowThreshold is < 0m or > 1m)
        {
            problems.Add(Invariant($"{Section}:{nameof(DefaultBelowThreshold)} ({DefaultBelowThreshold}) must be between 0 and 1."));
        }

        return problems;
    }
}
