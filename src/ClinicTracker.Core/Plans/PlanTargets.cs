using ClinicTracker.Core.Dosing;
using static System.FormattableString;

namespace ClinicTracker.Core.Plans;

/// <summary>
/// A plan's target dose per session against the hard limits of domain.md §3, checked when the plan is
/// made: a plan must never plan what no dose of it could be given. The limits are the clinic's
/// <see cref="DoseLimitsOptions"/>, the same ones <see cref="DoseLimitChecker"/> applies to each dose.
/// </summary>
/// <remarks>
/// <para>Exactly at a limit passes; only strictly above is refused, as for doses.</para>
/// <para>A target may be sent in mg or in mg/kg (api-outline.md), while a route's limit may be in the
/// other unit (IV ketamine is limited per kg, intranasal and sublingual ketamine in mg). Without a patient
/// weight such a target cannot be converted exactly, so it is refused only when it is above the limit at
/// <em>every</em> plausible dosing weight (domain.md §3: 30–300 kg): an IV target above 1.0 mg/kg × 300 kg
/// = 300 mg, an intranasal ketamine target above 100 mg ÷ 30 kg = 3.33… mg/kg. The dose itself is still
/// checked against the session's recorded weight when it is given.</para>
/// <para>Esketamine is dosed in whole 28 mg devices (Spravato label): its target is in mg, a whole number
/// of devices, and at most the hard maximum, so 28, 56 or 84 mg by default.</para>
/// </remarks>
public static class PlanTargets
{
    /// <summary>Lightest plausible dosing weight (domain.md §3).</summary>
    public const decimal MinDosingWeightKg = 30m;

    /// <summary>Heaviest plausible dosing weight (domain.md §3).</summary>
    public const decimal MaxDosingWeightKg = 300m;

    /// <summary>
    /// Why a target of <paramref name="targetMg"/> mg per session is refused for this medication and route,
    /// or null when it is within the hard limits.
    /// </summary>
    /// <exception cref="ArgumentException">The medication is not given by this route (esketamine other than intranasally).</exception>
    public static string? MgRefusal(DoseLimitsOptions limits, Medication medication, AdministrationRoute route, decimal targetMg)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (medication == Medication.Esketamine)
        {
            return Esketamine(limits.IntranasalEsketamine, route, targetMg);
        }

        var (perKg, maxMg) = KetamineLimits(limits, route);
        if (maxMg is { } max && targetMg > max)
        {
            return Invariant($"A target of {targetMg} mg is above the {RouteName(route)} ketamine hard limit of {max} mg per session (domain.md §3).");
        }

        // Above the per-kg limit even for the heaviest plausible patient.
        if (perKg is { } limit && targetMg > limit * MaxDosingWeightKg)
        {
            return Invariant(
                $"A target of {targetMg} mg is above the {RouteName(route)} ketamine hard limit of {limit} mg/kg at every plausible dosing weight (at most {limit * MaxDosingWeightKg} mg at {MaxDosingWeightKg} kg; domain.md §3).");
        }

        return null;
    }

    /// <summary>
    /// Why a target of <paramref name="targetMgPerKg"/> mg/kg per session is refused for this medication
    /// and route, or null when it is within the hard limits.
    /// </summary>
    /// <exception cref="ArgumentException">The medication is not given by this route (esketamine other than intranasally).</exception>
    public static string? MgPerKgRefusal(DoseLimitsOptions limits, Medication medication, AdministrationRoute route, decimal targetMgPerKg)
    {
        ArgumentNullException.ThrowIfNull(limits);
        if (medication == Medication.Esketamine)
        {
            RequireIntranasal(route);
            // Spravato label: fixed doses of 28 mg devices, whatever the patient weighs.
            return Invariant($"Esketamine is dosed in whole {limits.IntranasalEsketamine.DeviceMg} mg devices, not per kg: send targetDoseMg ({DeviceTotals(limits.IntranasalEsketamine)}).");
        }

        var (perKg, maxMg) = KetamineLimits(limits, route);
        if (perKg is { } limit && targetMgPerKg > limit)
        {
            return Invariant($"A target of {targetMgPerKg} mg/kg is above the {RouteName(route)} ketamine hard limit of {limit} mg/kg per session (domain.md §3).");
        }

        // Above the mg limit even for the lightest plausible patient.
        if (maxMg is { } max && targetMgPerKg * MinDosingWeightKg > max)
        {
            return Invariant(
                $"A target of {targetMgPerKg} mg/kg is above the {RouteName(route)} ketamine hard limit of {max} mg at every plausible dosing weight ({targetMgPerKg * MinDosingWeightKg} mg already at {MinDosingWeightKg} kg; domain.md §3).");
        }

        return null;
    }

    private static string? Esketamine(IntranasalEsketamineLimits l, AdministrationRoute route, decimal targetMg)
    {
        RequireIntranasal(route);
        // Spravato label: 28 mg devices; sessions of 56 or 84 mg (28 mg to start from age 65).
        if (targetMg % l.DeviceMg != 0 || targetMg > l.HardMaxMg)
        {
            return Invariant($"An esketamine target is whole {l.DeviceMg} mg devices up to the {l.HardMaxMg} mg hard limit: {DeviceTotals(l)} (was {targetMg} mg; domain.md §3).");
        }

        return null;
    }

    /// <summary>"28, 56 or 84 mg" for the configured device size and hard maximum.</summary>
    private static string DeviceTotals(IntranasalEsketamineLimits l)
    {
        var totals = new List<string>();
        for (var devices = 1; devices * l.DeviceMg <= l.HardMaxMg; devices++)
        {
            totals.Add(Invariant($"{devices * l.DeviceMg}"));
        }

        return totals.Count switch
        {
            0 => "none",
            1 => totals[0] + " mg",
            _ => string.Join(", ", totals[..^1]) + " or " + totals[^1] + " mg",
        };
    }

    /// <summary>The hard limits of one ketamine route: per kg, in mg, or both (domain.md §3 table).</summary>
    private static (decimal? PerKg, decimal? MaxMg) KetamineLimits(DoseLimitsOptions limits, AdministrationRoute route) => route switch
    {
        AdministrationRoute.Intravenous => (limits.IntravenousKetamine.HardMgPerKg, null),
        AdministrationRoute.Intranasal => (null, limits.IntranasalKetamine.HardMaxMg),
        AdministrationRoute.Oral => (limits.OralKetamine.HardMgPerKg, limits.OralKetamine.HardMaxMg),
        AdministrationRoute.Sublingual => (null, limits.SublingualKetamine.HardMaxMg),
        _ => throw new ArgumentOutOfRangeException(nameof(route), route, "Unknown administration route."),
    };

    private static void RequireIntranasal(AdministrationRoute route)
    {
        if (!MedicationRoutes.IsAllowed(Medication.Esketamine, route))
        {
            throw new ArgumentException($"Esketamine is not given by the {route} route; no target can be checked.", nameof(route));
        }
    }

    private static string RouteName(AdministrationRoute route) => route switch
    {
        AdministrationRoute.Intravenous => "IV",
        _ => route.ToString().ToLowerInvariant(),
    };
}
