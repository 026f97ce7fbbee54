using System.ComponentModel.DataAnnotations;

namespace ClinicTracker.Core.Adherence;

/// <summary>
/// The clinic settings of the adherence reports, bound from the "Adherence" configuration section. The
/// defaults are the *defaults* of domain.md §10; a clinic changes them in configuration, never in code.
/// </summary>
public sealed class AdherenceOptions
{
    public const string Section = "Adherence";

    /// <summary>Persistent = no gap in treatment longer than this many days (domain.md §10 rule 5, default 60).</summary>
    [Range(1, 3650)]
    public int PersistenceGapDays { get; set; } = 60;

    /// <summary>
    /// The clinic-wide report lists active plans whose adherence rate is below this when a request names
    /// no threshold (domain.md §10, default 0.8).
    /// </summary>
    [Range(typeof(decimal), "0", "1", ParseLimitsInInvariantCulture = true, ConvertValueInInvariantCulture = true)]
    public decimal DefaultBelowThreshold { get; set; } = 0.8m;
}
