using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Dosing;

/// <summary>Whether a dose stands or was marked entered-in-error (FHIR MedicationAdministration status).</summary>
public enum DoseStatus
{
    Completed,
    EnteredInError,
}

/// <summary>
/// One clinician-recorded administration inside a session (domain.md §3). Immutable once recorded:
/// the only change is being voided (entered-in-error) with a reason and an author (domain.md §8).
/// </summary>
public sealed class DoseEntry : IRecordedInOrder, Sites.ISessionLinked
{
    private DoseEntry()
    {
    }

    public Guid Id { get; private set; }

    public Guid SessionId { get; private set; }

    public Guid PatientId { get; private set; }

    public Medication Medication { get; private set; }

    public AdministrationRoute Route { get; private set; }

    public long AmountUg { get; private set; }

    /// <summary>When the dose was given; for an infusion, when it started.</summary>
    public DateTime AdministeredAt { get; private set; }

    public DateTime? InfusionStartedAt { get; private set; }

    public DateTime? InfusionEndedAt { get; private set; }

    /// <summary>Number of 28 mg esketamine devices (Spravato label).</summary>
    public int? DeviceCount { get; private set; }

    public string LotNumber { get; private set; } = "";

    /// <summary>The stock lot the dose was drawn from (domain.md §12); null when the lot number names no lot the site holds (stock kept elsewhere).</summary>
    public Guid? LotId { get; private set; }

    /// <summary>The session's dosing weight when the dose was recorded, so mg/kg never changes afterwards.</summary>
    public decimal WeightKg { get; private set; }

    public string? OverrideReason { get; private set; }

    /// <summary>The warning codes the override accepted (soft limits, the BP gate), space-separated, in the order raised.</summary>
    public string? OverriddenWarnings { get; private set; }

    /// <summary>The prescriber who accepted the warnings (domain.md §3: the dose keeps who overrode); null without an override.</summary>
    public string? OverriddenBy { get; private set; }

    public DoseStatus Status { get; private set; }

    public string RecordedBy { get; private set; } = "";

    public DateTime RecordedAt { get; private set; }

    public DateTime? VoidedAt { get; private set; }

    public string? VoidedBy { get; private set; }

    public string? VoidReason { get; private set; }

    /// <summary>The voided dose this entry corrects, if it is a replacement.</summary>
    public Guid? ReplacesDoseId { get; private set; }

    public decimal AmountMg => Amounts.ToMg(AmountUg);

    /// <summary>When the dose ended: the infusion end, or the administration instant.</summary>
    public DateTime EndedAt => InfusionEndedAt ?? AdministeredAt;

    /// <summary>The infusion's length as the limit check judged it (<see cref="Infusions.Minutes"/>); null when not an infusion.</summary>
    public decimal? InfusionMinutes => InfusionStartedAt is { } start && InfusionEndedAt is { } end ? Infusions.Minutes(start, end) : null;

    /// <summary>
    /// A new standing dose. <paramref name="overriddenWarnings"/> are the warnings the dose raised and the override
    /// accepted (empty when it raised none); the reason and the overriding user are kept only with them.
    /// </summary>
    public static DoseEntry Record(DoseFacts facts, Guid? lotId, decimal weightKg, string? overrideReason,
        IEnumerable<string> overriddenWarnings, string userName, DateTime nowUtc)
    {
        var warnings = string.Join(' ', overriddenWarnings);
        var overridden = warnings.Length > 0;
        return new DoseEntry
        {
            Id = Guid.CreateVersion7(),
            SessionId = facts.SessionId,
            PatientId = facts.PatientId,
            Medication = facts.Medication,
            Route = facts.Route,
            AmountUg = Amounts.ToUg(facts.AmountMg),
            AdministeredAt = facts.InfusionStartedAt ?? facts.AdministeredAt,
            InfusionStartedAt = facts.InfusionStartedAt,
            InfusionEndedAt = facts.InfusionEndedAt,
            DeviceCount = facts.DeviceCount,
            LotNumber = facts.LotNumber.Trim(),
            LotId = lotId,
            WeightKg = weightKg,
            OverrideReason = overridden && !string.IsNullOrWhiteSpace(overrideReason) ? overrideReason.Trim() : null,
            OverriddenWarnings = overridden ? warnings : null,
            OverriddenBy = overridden ? userName : null,
            Status = DoseStatus.Completed,
            RecordedBy = userName,
            RecordedAt = nowUtc,
            ReplacesDoseId = facts.ReplacesDoseId,
        };
    }

    public RuleViolation? Void(string reason, string userName, DateTime nowUtc)
    {
        if (Status == DoseStatus.EnteredInError)
        {
            return RuleViolation.Conflict("dose.already-voided", "The dose is already voided.",
                $"Dose {Id} was marked entered-in-error before.");
        }

        Status = DoseStatus.EnteredInError;
        VoidedAt = nowUtc;
        VoidedBy = userName;
        VoidReason = reason.Trim();
        return null;
    }
}

/// <summary>What the clinician states about one administration.</summary>
public sealed record DoseFacts(
    Guid SessionId,
    Guid PatientId,
    Medication Medication,
    AdministrationRoute Route,
    decimal AmountMg,
    DateTime AdministeredAt,
    DateTime? InfusionStartedAt,
    DateTime? InfusionEndedAt,
    int? DeviceCount,
    string LotNumber,
    Guid? ReplacesDoseId);
