using static System.FormattableString;
using static ClinicTracker.Core.Dosing.DoseLimitCodes;

namespace ClinicTracker.Core.Dosing;

/// <summary>
/// The subanesthetic dose limits of domain.md §3, applied to the patient's total of a medication over
/// 24 hours (the standing entries <see cref="DoseWindow"/> counted, in any session, plus the new one) so
/// that neither splitting a dose nor a second session the same day can get around them.
/// </summary>
/// <remarks>
/// A total is over a limit when it is strictly greater: exactly at the limit passes. mg/kg limits are
/// compared as <c>total &gt; limitPerKg × weightKg</c>, never by dividing, so no rounding can move a
/// dose across a limit. A hard breach wins: each rule set returns on it before judging soft limits,
/// so the result then carries no warnings.
/// </remarks>
public static class DoseLimitChecker
{
    private const string Mg = "mg";
    private const string MgPerKg = "mg/kg";
    private const string Minutes = "min";

    /// <exception cref="ArgumentException">The medication is not given by this route (esketamine other than intranasally).</exception>
    /// <exception cref="ArgumentOutOfRangeException">Weight or new amount not positive, or a negative prior total.</exception>
    public static DoseCheck Check(DoseLimitsOptions limits, DoseContext context)
    {
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(context.WeightKg);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(context.NewAmountMg);
        ArgumentOutOfRangeException.ThrowIfNegative(context.PriorTotalMg);

        var total = context.PriorTotalMg + context.NewAmountMg;
        var warnings = new List<DoseWarning>();
        var hard = (context.Medication, context.Route) switch
        {
            (Medication.Esketamine, AdministrationRoute.Intranasal) => Esketamine(limits.IntranasalEsketamine, context, total, warnings),
            (Medication.Ketamine, AdministrationRoute.Intravenous) => Intravenous(limits.IntravenousKetamine, context, total, warnings),
            (Medication.Ketamine, AdministrationRoute.Intranasal) => IntranasalKetamine(limits.IntranasalKetamine, total, warnings),
            (Medication.Ketamine, AdministrationRoute.Oral) => Oral(limits.OralKetamine, context, total, warnings),
            (Medication.Ketamine, AdministrationRoute.Sublingual) => Sublingual(limits.SublingualKetamine, total, warnings),
            // The pairs MedicationRoutes.IsAllowed refuses; the API turns them away before this.
            _ => throw new ArgumentException(
                $"{context.Medication} is not given by the {context.Route} route; no dose limits exist for it.", nameof(context)),
        };

        var perKg = Math.Round(total / context.WeightKg, 3, MidpointRounding.AwayFromZero);
        return new DoseCheck(total, perKg, hard, warnings);
    }

    private static DoseLimitBreach? Intravenous(
        IntravenousKetamineLimits l, DoseContext c, decimal total, List<DoseWarning> warnings)
    {
        // Fava 2018: 1.0 mg/kg is the highest dose studied for depression.
        if (total > l.HardMgPerKg * c.WeightKg)
        {
            return new DoseLimitBreach(IvMaxMgPerKg,
                Invariant($"IV ketamine 24-hour total {total} mg is above {l.HardMgPerKg} mg/kg at {c.WeightKg} kg ({l.HardMgPerKg * c.WeightKg} mg)."),
                l.HardMgPerKg, MgPerKg);
        }

        // Andrade 2017: 0.75 mg/kg is the top of the usual range.
        if (total > l.SoftMgPerKg * c.WeightKg)
        {
            warnings.Add(new DoseWarning(IvAboveUsualMgPerKg,
                Invariant($"IV ketamine 24-hour total {total} mg is above the usual {l.SoftMgPerKg} mg/kg at {c.WeightKg} kg ({l.SoftMgPerKg * c.WeightKg} mg)."),
                l.SoftMgPerKg, MgPerKg));
        }

        // Only the new entry's own infusion is judged; earlier entries were judged when recorded.
        if (c.InfusionMinutes is { } minutes && minutes < l.MinInfusionMinutes)
        {
            warnings.Add(new DoseWarning(IvInfusionTooShort,
                Invariant($"Infusion of {minutes} min is shorter than {l.MinInfusionMinutes} min."),
                l.MinInfusionMinutes, Minutes));
        }

        return null;
    }

    private static DoseLimitBreach? Esketamine(
        IntranasalEsketamineLimits l, DoseContext c, decimal total, List<DoseWarning> warnings)
    {
        // Spravato label: sessions are 56 or 84 mg.
        if (total > l.HardMaxMg)
        {
            return new DoseLimitBreach(EsketamineMaxSessionMg,
                Invariant($"Esketamine 24-hour total {total} mg is above {l.HardMaxMg} mg."), l.HardMaxMg, Mg);
        }

        // Spravato label: day 1 is 56 mg, or 28 mg from age 65.
        if (c.IsFirstSessionOfPlan)
        {
            var senior = c.PatientAgeYears >= l.SeniorAge;
            var startDose = senior ? l.FirstSessionMaxMgAge65 : l.FirstSessionMaxMg;
            if (total > startDose)
            {
                var who = senior ? Invariant($" for a patient aged {l.SeniorAge} or older") : "";
                warnings.Add(new DoseWarning(EsketamineFirstSessionAboveStartDose,
                    Invariant($"First esketamine session of the plan: 24-hour total {total} mg is above the {startDose} mg start dose{who}."),
                    startDose, Mg));
            }
        }

        // Spravato label: doses change in 28 mg steps. Only increases are checked, so recording a
        // session device by device never warns until it actually goes beyond one step.
        if (c.PreviousCompletedSessionTotalMg is { } previous && total - previous > l.MaxIncreaseMg)
        {
            warnings.Add(new DoseWarning(EsketamineIncreaseAbove28Mg,
                Invariant($"Esketamine 24-hour total {total} mg is {total - previous} mg more than the previous completed session's {previous} mg; increases are at most {l.MaxIncreaseMg} mg."),
                l.MaxIncreaseMg, Mg));
        }

        return null;
    }

    private static DoseLimitBreach? IntranasalKetamine(IntranasalKetamineLimits l, decimal total, List<DoseWarning> warnings)
    {
        if (total > l.HardMaxMg)
        {
            return new DoseLimitBreach(IntranasalKetamineMaxSessionMg,
                Invariant($"Intranasal ketamine 24-hour total {total} mg is above {l.HardMaxMg} mg."), l.HardMaxMg, Mg);
        }

        // Lapidus 2014: 50 mg was the trial dose.
        if (total > l.SoftMaxMg)
        {
            warnings.Add(new DoseWarning(IntranasalKetamineAboveTrialDose,
                Invariant($"Intranasal ketamine 24-hour total {total} mg is above the {l.SoftMaxMg} mg trial dose."), l.SoftMaxMg, Mg));
        }

        return null;
    }

    private static DoseLimitBreach? Oral(OralKetamineLimits l, DoseContext c, decimal total, List<DoseWarning> warnings)
    {
        // Andrade 2019: reported oral doses reach 7 mg/kg or 300 mg. When both are breached the
        // weight-based limit is reported, as it is the one that reflects the patient.
        if (total > l.HardMgPerKg * c.WeightKg)
        {
            return new DoseLimitBreach(OralMaxMgPerKg,
                Invariant($"Oral ketamine 24-hour total {total} mg is above {l.HardMgPerKg} mg/kg at {c.WeightKg} kg ({l.HardMgPerKg * c.WeightKg} mg)."),
                l.HardMgPerKg, MgPerKg);
        }

        if (total > l.HardMaxMg)
        {
            return new DoseLimitBreach(OralMaxSessionMg,
                Invariant($"Oral ketamine 24-hour total {total} mg is above {l.HardMaxMg} mg."), l.HardMaxMg, Mg);
        }

        // Andrade 2019: ~2–2.5 mg/kg oral gives IV-like exposure.
        if (total > l.SoftMgPerKg * c.WeightKg)
        {
            warnings.Add(new DoseWarning(OralAboveUsualMgPerKg,
                Invariant($"Oral ketamine 24-hour total {total} mg is above the usual {l.SoftMgPerKg} mg/kg at {c.WeightKg} kg ({l.SoftMgPerKg * c.WeightKg} mg)."),
                l.SoftMgPerKg, MgPerKg));
        }

        return null;
    }

    private static DoseLimitBreach? Sublingual(SublingualKetamineLimits l, decimal total, List<DoseWarning> warnings)
    {
        if (total > l.HardMaxMg)
        {
            return new DoseLimitBreach(SublingualMaxSessionMg,
                Invariant($"Sublingual ketamine 24-hour total {total} mg is above {l.HardMaxMg} mg."), l.HardMaxMg, Mg);
        }

        // Troches are commonly 50–200 mg (domain.md §3).
        if (total > l.SoftMaxMg)
        {
            warnings.Add(new DoseWarning(SublingualAboveUsualDose,
                Invariant($"Sublingual ketamine 24-hour total {total} mg is above the usual {l.SoftMaxMg} mg."), l.SoftMaxMg, Mg));
        }

        return null;
    }
}
