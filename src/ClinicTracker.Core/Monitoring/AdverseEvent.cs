using ClinicTracker.Core.Common;
namespace ClinicTracker.Core.Monitoring;

/// <summary>Adverse event types of domain.md §5 (extendable; <c>other</c> carries a text).</summary>
public enum AdverseEventType
{
    Dissociation,
    Dizziness,
    Nausea,
    Vomiting,
    Sedation,
    LossOfConsciousness,
    Hypertension,
    RespiratoryDepression,
    Anxiety,
    Headache,
    Other,
}

public enum AdverseEventSeverity
{
    Mild,
    Moderate,
    Severe,
    Serious,
}

/// <summary>
/// Something that went wrong or was noticed in a session (domain.md §5). Recorded once; its resolution is
/// added later (the original facts are never edited).
/// </summary>
public sealed class AdverseEvent : IRecordedInOrder, Sites.ISessionLinked
{
    private AdverseEvent()
    {
    }

    public Guid Id { get; private set; }

    public Guid SessionId { get; private set; }

    public Guid PatientId { get; private set; }

    public AdverseEventType Type { get; private set; }

    /// <summary>What the event was when the type is <c>other</c>.</summary>
    public string? OtherType { get; private set; }

    public AdverseEventSeverity Severity { get; private set; }

    public DateTime OnsetAt { get; private set; }

    public DateTime? ResolvedAt { get; private set; }

    public string? Description { get; private set; }

    public string RecordedBy { get; private set; } = "";

    public DateTime RecordedAt { get; private set; }

    public string? ResolutionRecordedBy { get; private set; }

    /// <summary>Events the REMS patient monitoring form asks about: sedation, dissociation, respiratory (Spravato REMS).</summary>
    public bool IsRemsReportable => Type is AdverseEventType.Sedation or AdverseEventType.Dissociation
        or AdverseEventType.RespiratoryDepression or AdverseEventType.LossOfConsciousness;

    public static AdverseEvent Record(Guid sessionId, Guid patientId, AdverseEventType type, string? otherType,
        AdverseEventSeverity severity, DateTime onsetAtUtc, DateTime? resolvedAtUtc, string? description, string userName, DateTime nowUtc) =>
        new()
        {
            Id = Guid.CreateVersion7(),
            SessionId = sessionId,
            PatientId = patientId,
            Type = type,
            OtherType = string.IsNullOrWhiteSpace(otherType) ? null : otherType.Trim(),
            Severity = severity,
            OnsetAt = onsetAtUtc,
            ResolvedAt = resolvedAtUtc,
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            RecordedBy = userName,
            RecordedAt = nowUtc,
            ResolutionRecordedBy = resolvedAtUtc is null ? null : userName,
        };

    public Common.RuleViolation? Resolve(DateTime resolvedAtUtc, string userName)
    {
        if (ResolvedAt is not null)
        {
            return Common.RuleViolation.Conflict("adverse-event.already-resolved", "The adverse event is already resolved.",
                $"Adverse event {Id} has a resolution time.");
        }

        if (resolvedAtUtc < OnsetAt)
        {
            return Common.RuleViolation.Unprocessable("adverse-event.time-inconsistent", "Resolution is before onset.",
                "An adverse event cannot resolve before it began.");
        }

        ResolvedAt = resolvedAtUtc;
        ResolutionRecordedBy = userName;
        return null;
    }
}
