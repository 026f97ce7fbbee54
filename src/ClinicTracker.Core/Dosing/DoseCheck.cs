namespace ClinicTracker.Core.Dosing;

/// <summary>What <see cref="DoseLimitChecker"/> needs to know about a dose about to be recorded.</summary>
/// <param name="Medication">Medication of the new entry.</param>
/// <param name="Route">Route of the new entry; esketamine must be intranasal.</param>
/// <param name="SessionTotalBeforeMg">Sum of the session's non-voided entries of this medication so far (≥ 0).</param>
/// <param name="NewAmountMg">Amount of the new entry (> 0).</param>
/// <param name="WeightKg">The session's weight used for dosing (> 0).</param>
/// <param name="InfusionMinutes">Whole minutes of the new IV entry's infusion (round down); null when not an infusion.</param>
/// <param name="PatientAgeYears">Age in whole years on the session's date.</param>
/// <param name="IsFirstSessionOfPlan">Whether this session is the plan's first dosing session.</param>
/// <param name="PreviousCompletedSessionTotalMg">
/// Total of this medication in the plan's previous completed session; null when there is none.
/// </param>
public sealed record DoseContext(
    Medication Medication,
    AdministrationRoute Route,
    decimal SessionTotalBeforeMg,
    decimal NewAmountMg,
    decimal WeightKg,
    int? InfusionMinutes,
    int PatientAgeYears,
    bool IsFirstSessionOfPlan,
    decimal? PreviousCompletedSessionTotalMg);

/// <summary>
/// The outcome of a dose-limit check. <see cref="Hard"/> set means the dose must be refused; warnings
/// need a prescriber's override reason. When <see cref="Hard"/> is set, <see cref="Warnings"/> is empty.
/// </summary>
/// <param name="TotalMg">Session total including the new entry.</param>
/// <param name="TotalMgPerKg">TotalMg / WeightKg rounded to 3 decimals, for display only (limits compare unrounded).</param>
/// <param name="Hard">The hard limit breached, if any.</param>
/// <param name="Warnings">Soft limits exceeded, each with a stable code.</param>
public sealed record DoseCheck(decimal TotalMg, decimal TotalMgPerKg, DoseLimitBreach? Hard, IReadOnlyList<DoseWarning> Warnings);

/// <summary>A hard limit the session total is above. <paramref name="Unit"/> is "mg" or "mg/kg".</summary>
public sealed record DoseLimitBreach(string Code, string Description, decimal Limit, string Unit);

/// <summary>A soft limit the session total (or the infusion) is beyond. <paramref name="Unit"/> is "mg", "mg/kg" or "min".</summary>
public sealed record DoseWarning(string Code, string Description, decimal Limit, string Unit);

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
}
