using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Core.Outcomes;

/// <summary>
/// The groups of the clinic outcomes report (domain.md §13): by route, by dose band and by adherence band, each
/// with a stable key. A plan always lands in exactly one group of each kind; a plan the bands cannot judge goes
/// to <see cref="Unknown"/> (or, for dose, <see cref="NotBanded"/>), never out of the report.
/// </summary>
/// <remarks>
/// <para>Dose band (domain.md §13: "IV: ≤ 0.5, 0.5–0.75, &gt; 0.75 mg/kg median session dose; esketamine: 56 / 84 mg"):
/// the median over the plan's completed sessions that have a standing dose of the session's total (the sum of its
/// non-voided doses), so a dose recorded device by device counts as one session. IV: mg/kg = session total ÷ the
/// session's dosing weight, unrounded (as the §3 limits compare), so a 0.75 mg/kg session of 52.5 mg at 70 kg is in
/// the middle band and 52.51 mg is above it — exactly the sessions the soft limit warned about. Edges: 0.5 is in the
/// lowest band, 0.75 in the middle one. Esketamine: sessions are whole 28 mg devices (28, 56, 84); a median of
/// 84 mg or more is the 84 mg band, anything less (56, the 28 mg of a patient from 65, and the 70 mg midpoint of an
/// even number of 56 and 84 mg sessions) is the 56 mg band: "84 mg" means most sessions were 84 mg.</para>
/// <para>Oral, sublingual and intranasal racemic ketamine have no §13 bands: <see cref="NotBanded"/>. An IV or
/// esketamine plan with no dosed completed session has no median: <see cref="Unknown"/>.</para>
/// <para>Adherence band (domain.md §13: "≥ 0.8, 0.5–0.8, &lt; 0.5", the §10 adherence rate): 0.8 exactly is in the top
/// band, 0.5 exactly in the middle one. A plan with nothing due yet has no rate (§10 rule 5): <see cref="Unknown"/>.</para>
/// </remarks>
public static class ClinicOutcomeBands
{
    public const string Unknown = "unknown";

    public const string NotBanded = "not-banded";

    public const string IvUpTo05 = "iv-up-to-0.5";

    public const string Iv05To075 = "iv-0.5-to-0.75";

    public const string IvAbove075 = "iv-above-0.75";

    public const string Esketamine56 = "esketamine-56";

    public const string Esketamine84 = "esketamine-84";

    public const string AdherenceAtLeast08 = "at-least-0.8";

    public const string Adherence05To08 = "0.5-to-0.8";

    public const string AdherenceBelow05 = "below-0.5";

    /// <summary>Route keys, the API's route names, in the report's order.</summary>
    public static readonly IReadOnlyList<string> RouteOrder = ["intravenous", "intranasal", "oral", "sublingual"];

    /// <summary>Dose band keys in the report's order.</summary>
    public static readonly IReadOnlyList<string> DoseOrder = [IvUpTo05, Iv05To075, IvAbove075, Esketamine56, Esketamine84, NotBanded, Unknown];

    /// <summary>Adherence band keys in the report's order.</summary>
    public static readonly IReadOnlyList<string> AdherenceOrder = [AdherenceAtLeast08, Adherence05To08, AdherenceBelow05, Unknown];

    // domain.md §13: IV bands ≤ 0.5, 0.5–0.75, > 0.75 mg/kg.
    private const decimal IvLow = 0.5m;
    private const decimal IvHigh = 0.75m;

    // domain.md §3, §13: esketamine sessions of 56 or 84 mg (28 mg devices).
    private const decimal EsketamineHigh = 84m;

    // domain.md §13: adherence bands ≥ 0.8, 0.5–0.8, < 0.5.
    private const decimal AdherenceHigh = 0.8m;
    private const decimal AdherenceLow = 0.5m;

    public static string RouteKey(AdministrationRoute route) => route switch
    {
        AdministrationRoute.Intravenous => "intravenous",
        AdministrationRoute.Intranasal => "intranasal",
        AdministrationRoute.Oral => "oral",
        AdministrationRoute.Sublingual => "sublingual",
        _ => throw new ArgumentOutOfRangeException(nameof(route), route, null),
    };

    /// <summary>
    /// The plan's median session dose in the unit its band uses: mg/kg for IV ketamine, mg for esketamine; null
    /// for other routes and for a plan with no dosed session (or, IV, none with a dosing weight).
    /// </summary>
    public static decimal? MedianSessionDose(Medication medication, AdministrationRoute route, IEnumerable<ClinicOutcomeSession> sessions)
    {
        ArgumentNullException.ThrowIfNull(sessions);
        var doses = (medication, route) switch
        {
            (Medication.Ketamine, AdministrationRoute.Intravenous) => sessions
                .Where(s => s.TotalMg > 0 && s.WeightKg is > 0)
                .Select(s => s.TotalMg / s.WeightKg!.Value),
            (Medication.Esketamine, _) => sessions.Where(s => s.TotalMg > 0).Select(s => s.TotalMg),
            _ => [],
        };
        return Median(doses);
    }

    /// <summary>The dose band of a plan (see the remarks for the edges).</summary>
    public static string DoseBand(Medication medication, AdministrationRoute route, decimal? medianSessionDose)
    {
        var banded = (medication, route) is (Medication.Ketamine, AdministrationRoute.Intravenous) or (Medication.Esketamine, _);
        if (!banded)
        {
            return NotBanded;
        }

        if (medianSessionDose is not { } median)
        {
            return Unknown;
        }

        if (medication == Medication.Esketamine)
        {
            return median >= EsketamineHigh ? Esketamine84 : Esketamine56;
        }

        return median <= IvLow ? IvUpTo05 : median <= IvHigh ? Iv05To075 : IvAbove075;
    }

    /// <summary>The adherence band of a §10 adherence rate (0–1); <see cref="Unknown"/> without one.</summary>
    public static string AdherenceBand(decimal? adherenceRate) => adherenceRate switch
    {
        null => Unknown,
        >= AdherenceHigh => AdherenceAtLeast08,
        >= AdherenceLow => Adherence05To08,
        _ => AdherenceBelow05,
    };

    /// <summary>The median: the middle value, or the mean of the two middle values of an even count; null when empty.</summary>
    public static decimal? Median(IEnumerable<decimal> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return null;
        }

        var mid = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2m;
    }
}
