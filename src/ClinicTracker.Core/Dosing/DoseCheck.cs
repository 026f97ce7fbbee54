namespace ClinicTracker.Core.Dosing;

/// <summary>What <see cref="DoseLimitChecker"/> needs to know about a dose about to be recorded.</summary>
/// <param name="Medication">Medication of the new entry.</param>
/// <param name="Route">Route of the new entry; esketamine must be intranasal.</param>
/// <param name="PriorTotalMg">
/// The patient's other standing entries of this medication in the 24-hour window (≥ 0; <see cref="DoseWindow"/>):
/// normally the session's entries so far, plus any other session's of the same day.
/// </param>
/// <param name="NewAmountMg">Amount of the new entry (> 0).</param>
/// <param name="WeightKg">The session's weight used for dosing (> 0).</param>
/// <param name="InfusionMinutes">The new IV entry's infusion length (<see cref="Infusions.Minutes"/>); null when not an infusion.</param>
/// <param name="PatientAgeYears">Age in whole years on the session's date.</param>
/// <param name="IsFirstSessionOfPlan">Whether this session is the plan's first dosing session.</param>
/// <param name="PreviousCompletedSessionTotalMg">
/// Total of this medication in the plan's previous completed session; null when there is none.
/// </param>
public sealed record DoseContext(
    Medication Medication,
    AdministrationRoute Route,
    decimal PriorTotalMg,
    decimal NewAmountMg,
    decimal WeightKg,
    decimal? InfusionMinutes,
    int PatientAgeYears,
    bool IsFirstSessionOfPlan,
    decimal? PreviousCompletedSessionTotalMg);

/// <summary>
/// The outcome of a dose-limit check. <see cref="Hard"/> set means the dose must be refused; warnings
/// need a prescriber's override reason. When <see cref="Hard"/> is set, <see cref="Warnings"/> is empty.
/// </summary>
/// <param name="TotalMg">24-hour total including the new entry.</param>
/// <param name="TotalMgPerKg">TotalMg / WeightKg rounded to 3 decimals, for display only (limits compare unrounded).</param>
/// <param name="Hard">The hard limit breached, if any.</param>
/// <param name="Warnings">Soft limits exceeded, each with a stable code.</param>
public sealed record DoseCheck(decimal TotalMg, decimal TotalMgPerKg, DoseLimitBreach? Hard, IReadOnlyList<DoseWarning> Warnings);

/// <summary>A hard limit the 24-hour total is above. <paramref name="Unit"/> is "mg" or "mg/kg".</summary>
public sealed record DoseLimitBreach(string Code, string Description, decimal Limit, string Unit);

/// <summary>
/// A warning that stands in the way of a dose until a prescriber accepts it: a soft limit the 24-hour total
/// (or the infusion) is beyond, with its limit and <paramref name="Unit"/> ("mg", "mg/kg" or "min"), or the
/// pre-dose BP gate (<c>bp.gate-missing</c>, <c>bp.gate-elevated</c>; no limit or unit).
/// </summary>
public sealed record DoseWarning(string Code, string Description, decimal? Limit = null, string? Unit = null);

/// <summary>The stable codes of dose-limit breaches and warnings (API problem details carry them).</summary>
public static class DoseLimitCodes
{
    // Hard limits.
    public const string IvMaxMgPerKg = "iv.max-mg-per-kg";
    public const string EsketamineMaxSessionMg = "esketamine.max-session-mg";
    public const string IntranasalKetamineMaxSessionMg = "intranasal-ketamine.max-session-mg";
    public const string OralMaxMgPerKg = "oral.max-mg-per-kg";
    public const string OralMaxSessionMg = "oral.max-session-mg";
    public const string SublingualMaxSessionMg = "sublingual.max-session-mg";

    // Soft limits.
    public const string IvAboveUsualMgPerKg = "iv.above-usual-mg-per-kg";
    public const string IvInfusionTooShort = "iv.infusion-too-short";
    public const string EsketamineFirstSessionAboveStartDose = "esketamine.first-session-above-start-dose";
    public const string EsketamineIncreaseAbove28Mg = "esketamine.increase-above-28mg";
    public const string IntranasalKetamineAboveTrialDose = "intranasal-ketamine.above-trial-dose";
    public const string OralAboveUsualMgPerKg = "oral.above-usual-mg-per-kg";
    public const string SublingualAboveUsualDose = "sublingual.above-usual-dose";

    // The pre-dose blood-pressure gate (domain.md §4), overridable by a prescriber like a soft limit (ADR 0008).
    public const string BpGateMissing = "bp.gate-missing";
    public const string BpGateElevated = "bp.gate-elevated";

    /// <summary>Every code an override may name (<c>acceptedWarnings</c>).</summary>
    public static readonly IReadOnlySet<string> Overridable = new HashSet<string>(StringComparer.Ordinal)
    {
        IvAboveUsualMgPerKg, IvInfusionTooShort, EsketamineFirstSessionAboveStartDose, EsketamineIncreaseAbove28Mg,
        IntranasalKetamineAboveTrialDose, OralAboveUsualMgPerKg, SublingualAboveUsualDose, BpGateMissing, BpGateElevated,
    };
}
