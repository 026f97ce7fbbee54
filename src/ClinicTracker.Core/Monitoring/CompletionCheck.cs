using ClinicTracker.Core.Dosing;
using static System.FormattableString;

namespace ClinicTracker.Core.Monitoring;

/// <summary>One piece of monitoring a session still lacks before it may be completed.</summary>
/// <param name="Code">Stable code (see <see cref="MissingMonitoringCodes"/>).</param>
/// <param name="Description">What is missing, with the numbers.</param>
public sealed record MissingMonitoring(string Code, string Description);

/// <summary>The stable codes of <see cref="MissingMonitoring"/>.</summary>
public static class MissingMonitoringCodes
{
    /// <summary>Esketamine: less than the observation time from the first device to completion.</summary>
    public const string ObservationTime = "observation-time";

    /// <summary>Esketamine: no BP in the post-dose window (30–60 min after the first device).</summary>
    public const string PostDoseBp = "post-dose-bp";

    /// <summary>IV ketamine: no BP during or after the infusion.</summary>
    public const string InfusionBp = "infusion-bp";

    /// <summary>No BP at discharge (at most the discharge window before completion).</summary>
    public const string DischargeBp = "discharge-bp";
}

/// <summary>
/// The monitoring a session needs before it may be completed (domain.md §4). Spravato REMS: 2 h
/// observation, BP pre-dose, ~40 min and as needed; the REMS Patient Monitoring Form asks for three BPs.
/// </summary>
/// <remarks>
/// <para>Interpretations where §4 leaves room:</para>
/// <list type="bullet">
/// <item>
/// Windows are inclusive at both ends and compared as exact instants: a post-dose BP 30:00 or 60:00 min
/// after the first device counts, 29:59 or 60:01 does not; 120:00 min of observation is enough, 119:59 is not.
/// </item>
/// <item>
/// Discharge BP: a reading taken at most <see cref="MonitoringOptions.DischargeBpWindowMinutes"/> (30) min
/// before completion, not after completion, and not before the first dose (a pre-dose reading cannot show
/// the patient's state after dosing).
/// </item>
/// <item>
/// One reading never serves twice: the post-dose (esketamine) or infusion (IV) BP and the discharge BP
/// must be two distinct readings, as the REMS form asks for separate BPs. When a single reading is the
/// only candidate for both, it counts as the earlier requirement (post-dose / infusion) and
/// <c>discharge-bp</c> is reported missing.
/// </item>
/// <item>
/// IV: "during or after the infusion" means taken at or after the start of the session's last infusion
/// (so the final infusion is covered) and at or before completion; without a recorded infusion start,
/// the first dose time is used.
/// </item>
/// <item>
/// Other routes (oral, sublingual, intranasal racemic ketamine): §4 sets no completion monitoring, so
/// nothing is required here; a clinic's own policy is not guessed at.
/// </item>
/// </list>
/// </remarks>
public static class CompletionCheck
{
    /// <exception cref="ArgumentException">The medication is not given by this route, or completion precedes the first dose.</exception>
    public static IReadOnlyList<MissingMonitoring> Evaluate(
        MonitoringOptions o,
        Medication medication,
        AdministrationRoute route,
        DateTime firstDoseAtUtc,
        DateTime? lastInfusionStartUtc,
        IReadOnlyList<BpReading> readings,
        DateTime completeAtUtc)
    {
        ArgumentNullException.ThrowIfNull(o);
        ArgumentNullException.ThrowIfNull(readings);
        if (!MedicationRoutes.IsAllowed(medication, route))
        {
            throw new ArgumentException($"{medication} is not given by the {route} route.", nameof(route));
        }

        if (completeAtUtc < firstDoseAtUtc)
        {
            throw new ArgumentException("Completion cannot precede the first dose.", nameof(completeAtUtc));
        }

        var discharge = DischargeCandidates(o, readings, firstDoseAtUtc, completeAtUtc);
        return (medication, route) switch
        {
            (Medication.Esketamine, AdministrationRoute.Intranasal) => Esketamine(o, firstDoseAtUtc, readings, discharge, completeAtUtc),
            (Medication.Ketamine, AdministrationRoute.Intravenous) => Intravenous(o, lastInfusionStartUtc ?? firstDoseAtUtc, readings, discharge, completeAtUtc),
            _ => [],
        };
    }

    private static List<MissingMonitoring> Esketamine(
        MonitoringOptions o, DateTime firstDose, IReadOnlyList<BpReading> readings, List<BpReading> discharge, DateTime completeAt)
    {
        var missing = new List<MissingMonitoring>();

        // Spravato REMS: 2 h observation from the first device.
        var observed = completeAt - firstDose;
        if (observed < TimeSpan.FromMinutes(o.EsketamineObservationMinutes))
        {
            missing.Add(new MissingMonitoring(MissingMonitoringCodes.ObservationTime,
                Invariant($"Esketamine needs {o.EsketamineObservationMinutes} min of observation from the first device; completing after {(int)observed.TotalMinutes} min.")));
        }

        // Spravato REMS: BP about 40 min after dosing (30–60 min window).
        var from = firstDose.AddMinutes(o.EsketaminePostDoseBpFromMinutes);
        var to = firstDose.AddMinutes(o.EsketaminePostDoseBpToMinutes);
        var postDose = readings.Where(r => r.TakenAtUtc >= from && r.TakenAtUtc <= to && r.TakenAtUtc <= completeAt).ToList();

        var (hasPostDose, hasDischarge) = Distinct(postDose, discharge);
        if (!hasPostDose)
        {
            missing.Add(new MissingMonitoring(MissingMonitoringCodes.PostDoseBp,
                Invariant($"No blood pressure {o.EsketaminePostDoseBpFromMinutes}–{o.EsketaminePostDoseBpToMinutes} min after the first device.")));
        }

        if (!hasDischarge)
        {
            missing.Add(DischargeMissing(o));
        }

        return missing;
    }

    private static List<MissingMonitoring> Intravenous(
        MonitoringOptions o, DateTime infusionStart, IReadOnlyList<BpReading> readings, List<BpReading> discharge, DateTime completeAt)
    {
        var missing = new List<MissingMonitoring>();

        // domain.md §4: IV sessions need a BP during or after the infusion and a discharge reading.
        var duringOrAfter = readings.Where(r => r.TakenAtUtc >= infusionStart && r.TakenAtUtc <= completeAt).ToList();

        var (hasInfusion, hasDischarge) = Distinct(duringOrAfter, discharge);
        if (!hasInfusion)
        {
            missing.Add(new MissingMonitoring(MissingMonitoringCodes.InfusionBp,
                "No blood pressure taken during or after the infusion."));
        }

        if (!hasDischarge)
        {
            missing.Add(DischargeMissing(o));
        }

        return missing;
    }

    private static List<BpReading> DischargeCandidates(
        MonitoringOptions o, IReadOnlyList<BpReading> readings, DateTime firstDose, DateTime completeAt)
    {
        var from = completeAt.AddMinutes(-o.DischargeBpWindowMinutes);
        return readings.Where(r => r.TakenAtUtc >= from && r.TakenAtUtc <= completeAt && r.TakenAtUtc >= firstDose).ToList();
    }

    private static MissingMonitoring DischargeMissing(MonitoringOptions o) =>
        new(MissingMonitoringCodes.DischargeBp,
            Invariant($"No discharge blood pressure: a reading in the {o.DischargeBpWindowMinutes} min before completion, separate from the post-dose or infusion reading."));

    /// <summary>
    /// Whether an earlier requirement and the discharge requirement can both be met by two distinct
    /// readings; the earlier one is served first. Both can be met exactly when each has a candidate and
    /// the candidates together are at least two readings (one serves the first, another the second).
    /// </summary>
    private static (bool Earlier, bool Discharge) Distinct(List<BpReading> earlier, List<BpReading> discharge)
    {
        if (earlier.Count == 0)
        {
            return (false, discharge.Count > 0);
        }

        var distinctReadings = earlier.Concat(discharge).Select(r => r.Id).Distinct().Count();
        return (true, discharge.Count > 0 && distinctReadings >= 2);
    }
}
