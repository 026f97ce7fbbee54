using System.ComponentModel.DataAnnotations;
using ClinicTracker.Core.Dosing;

namespace ClinicTracker.Api.Doses;

/// <summary>
/// One administration, recorded by the authenticated clinician (domain.md §3). Intravenous doses send
/// infusionStartedAt and infusionEndedAt; every other route sends administeredAt. Esketamine sends deviceCount.
/// </summary>
public sealed record RecordDoseRequest
{
    /// <summary>ketamine or esketamine; must be the plan's.</summary>
    [Required]
    public Medication? Medication { get; init; }

    /// <summary>Administration route; must be the plan's.</summary>
    [Required]
    public AdministrationRoute? Route { get; init; }

    /// <summary>Amount in mg, greater than 0, at most 2 decimals. Esketamine: deviceCount × 28.</summary>
    [Required]
    public decimal? AmountMg { get; init; }

    /// <summary>When the dose was given (non-intravenous routes); not in the future, not before check-in.</summary>
    public DateTimeOffset? AdministeredAt { get; init; }

    /// <summary>Infusion start (intravenous).</summary>
    public DateTimeOffset? InfusionStartedAt { get; init; }

    /// <summary>Infusion end (intravenous); after the start. Duration and rate are derived.</summary>
    public DateTimeOffset? InfusionEndedAt { get; init; }

    /// <summary>Number of 28 mg esketamine nasal spray devices (1–3).</summary>
    public int? DeviceCount { get; init; }

    /// <summary>
    /// Lot number of the product given (controlled substance), 1–64 characters: a lot the session's site has received,
    /// of this medication and a form for this route, not expired, with the amount on hand (domain.md §12).
    /// </summary>
    [Required]
    public string? LotNumber { get; init; }

    /// <summary>
    /// A prescriber's reason to record the dose despite the warnings named in acceptedWarnings (up to 1,000 characters).
    /// </summary>
    public string? OverrideReason { get; init; }

    /// <summary>
    /// The warning codes the override accepts, as a refusal listed them (soft limits such as
    /// <c>iv.above-usual-mg-per-kg</c>, and <c>bp.gate-missing</c> / <c>bp.gate-elevated</c>). The dose is stored only
    /// when every warning it raises is named here; needs overrideReason.
    /// </summary>
    public IReadOnlyList<string>? AcceptedWarnings { get; init; }

    /// <summary>The voided (entered-in-error) dose of this session that this entry replaces.</summary>
    public Guid? ReplacesDoseId { get; init; }
}

/// <summary>Controlled-substance waste witnessed by a second clinician (domain.md §8).</summary>
public sealed record RecordWasteRequest
{
    /// <summary>Amount wasted in mg, greater than 0, at most 2 decimals.</summary>
    [Required]
    public decimal? AmountMg { get; init; }

    /// <summary>
    /// User name of the witness: an active nurse or prescriber who is neither the clinician recording the waste nor
    /// anyone who administered a standing dose of the session (domain.md §8).
    /// </summary>
    [Required]
    public string? WitnessUserName { get; init; }

    /// <summary>When the drug was wasted; not in the future, not before check-in.</summary>
    [Required]
    public DateTimeOffset? WastedAt { get; init; }

    /// <summary>Lot number of the wasted product; required while stock is tracked (Stock:Enforce).</summary>
    public string? LotNumber { get; init; }
}

/// <summary>A recorded dose with its derived numbers.</summary>
/// <param name="Id">Dose id.</param>
/// <param name="SessionId">Session id.</param>
/// <param name="PatientId">Patient id.</param>
/// <param name="Medication">Medication.</param>
/// <param name="Route">Route.</param>
/// <param name="AmountMg">Amount in mg.</param>
/// <param name="MgPerKg">Amount per kg of the session's dosing weight (3 decimals).</param>
/// <param name="WeightKg">The dosing weight the mg/kg is based on.</param>
/// <param name="AdministeredAt">When given (for infusions, the start).</param>
/// <param name="InfusionStartedAt">Infusion start.</param>
/// <param name="InfusionEndedAt">Infusion end.</param>
/// <param name="InfusionMinutes">Infusion duration in minutes, truncated to 2 decimals (29 min 57 s is 29.95), as the limit check judged it.</param>
/// <param name="RateMgPerHour">Infusion rate in mg/h over infusionMinutes, to 2 decimals.</param>
/// <param name="DeviceCount">28 mg devices used.</param>
/// <param name="LotNumber">Lot number.</param>
/// <param name="LotId">The stock lot it was drawn from (domain.md §12); null when the site holds no lot of that number (Stock:Enforce off).</param>
/// <param name="OverrideReason">Prescriber's reason for accepting the warnings (null without an override).</param>
/// <param name="OverriddenWarnings">Warning codes the override accepted, in the order raised (empty without an override).</param>
/// <param name="OverriddenBy">The prescriber who accepted them (null without an override).</param>
/// <param name="Status">completed or entered-in-error.</param>
/// <param name="RecordedBy">Clinician who recorded (from the token).</param>
/// <param name="RecordedAt">When it was recorded (UTC).</param>
/// <param name="VoidedAt">When it was voided.</param>
/// <param name="VoidedBy">Who voided it.</param>
/// <param name="VoidReason">Why.</param>
/// <param name="ReplacesDoseId">The voided dose this entry replaces.</param>
public sealed record DoseResponse(
    Guid Id, Guid SessionId, Guid PatientId, Medication Medication, AdministrationRoute Route, decimal AmountMg, decimal? MgPerKg,
    decimal WeightKg, DateTime AdministeredAt, DateTime? InfusionStartedAt, DateTime? InfusionEndedAt, decimal? InfusionMinutes,
    decimal? RateMgPerHour, int? DeviceCount, string LotNumber, Guid? LotId, string? OverrideReason, IReadOnlyList<string> OverriddenWarnings,
    string? OverriddenBy, DoseStatus Status, string RecordedBy, DateTime RecordedAt, DateTime? VoidedAt, string? VoidedBy, string? VoidReason,
    Guid? ReplacesDoseId)
{
    internal static DoseResponse From(DoseEntry d) => new(
        d.Id, d.SessionId, d.PatientId, d.Medication, d.Route, d.AmountMg, DoseMath.MgPerKg(d.AmountMg, d.WeightKg), d.WeightKg,
        d.AdministeredAt, d.InfusionStartedAt, d.InfusionEndedAt, d.InfusionMinutes,
        d.InfusionMinutes is { } minutes ? Infusions.RateMgPerHour(d.AmountMg, minutes) : null, d.DeviceCount, d.LotNumber, d.LotId,
        d.OverrideReason, d.OverriddenWarnings?.Split(' ') ?? [], d.OverriddenBy, d.Status, d.RecordedBy, d.RecordedAt, d.VoidedAt,
        d.VoidedBy, d.VoidReason, d.ReplacesDoseId);
}

/// <summary>A waste record.</summary>
/// <param name="Id">Waste id.</param>
/// <param name="SessionId">Session id.</param>
/// <param name="Medication">Medication wasted.</param>
/// <param name="AmountMg">Amount in mg.</param>
/// <param name="WastedAt">When.</param>
/// <param name="LotNumber">Lot number.</param>
/// <param name="LotId">The stock lot it came from; null when none was named or the site holds no such lot.</param>
/// <param name="RecordedBy">Clinician who recorded it.</param>
/// <param name="WitnessUserName">Witnessing clinician.</param>
/// <param name="RecordedAt">When it was recorded.</param>
public sealed record WasteResponse(
    Guid Id, Guid SessionId, Medication Medication, decimal AmountMg, DateTime WastedAt, string? LotNumber, Guid? LotId, string RecordedBy,
    string WitnessUserName, DateTime RecordedAt)
{
    internal static WasteResponse From(WasteEntry w) =>
        new(w.Id, w.SessionId, w.Medication, w.AmountMg, w.WastedAt, w.LotNumber, w.LotId, w.RecordedBy, w.WitnessUserName, w.RecordedAt);
}

/// <summary>Derived dose numbers shared by responses.</summary>
public static class DoseMath
{
    /// <summary>mg/kg to 3 decimals; null without a weight.</summary>
    public static decimal? MgPerKg(decimal mg, decimal? weightKg) =>
        weightKg is > 0 ? decimal.Round(mg / weightKg.Value, 3, MidpointRounding.AwayFromZero) : null;
}
