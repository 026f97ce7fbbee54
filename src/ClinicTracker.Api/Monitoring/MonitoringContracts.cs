using System.ComponentModel.DataAnnotations;
using ClinicTracker.Core.Monitoring;

namespace ClinicTracker.Api.Monitoring;

/// <summary>
/// A timed measurement (domain.md §5). blood-pressure sends systolic and diastolic (mmHg); heart-rate
/// (/min), spo2 (%), cadss (total 0–92) and moaas (0–5) send value.
/// </summary>
public sealed record RecordObservationRequest
{
    /// <summary>blood-pressure, heart-rate, spo2, cadss or moaas.</summary>
    [Required]
    public ObservationKind? Kind { get; init; }

    /// <summary>Systolic mmHg, 50–300, above diastolic (blood-pressure only).</summary>
    public int? Systolic { get; init; }

    /// <summary>Diastolic mmHg, 20–200 (blood-pressure only).</summary>
    public int? Diastolic { get; init; }

    /// <summary>Heart rate 20–250 /min, SpO2 50–100 %, CADSS total 0–92, or MOAA/S 0–5.</summary>
    public int? Value { get; init; }

    /// <summary>When it was measured: not in the future, not before check-in.</summary>
    [Required]
    public DateTimeOffset? ObservedAt { get; init; }
}

/// <summary>An adverse event in a session (domain.md §5).</summary>
public sealed record RecordAdverseEventRequest
{
    /// <summary>dissociation, dizziness, nausea, vomiting, sedation, loss-of-consciousness, hypertension, respiratory-depression, anxiety, headache or other.</summary>
    [Required]
    public AdverseEventType? Type { get; init; }

    /// <summary>What it was, when type is other (1–100 characters).</summary>
    public string? OtherType { get; init; }

    /// <summary>mild, moderate, severe or serious.</summary>
    [Required]
    public AdverseEventSeverity? Severity { get; init; }

    /// <summary>When it began: not in the future, not before check-in.</summary>
    [Required]
    public DateTimeOffset? OnsetAt { get; init; }

    /// <summary>When it resolved, if it already has.</summary>
    public DateTimeOffset? ResolvedAt { get; init; }

    /// <summary>Clinical description, up to 2,000 characters.</summary>
    public string? Description { get; init; }
}

/// <summary>The resolution of an adverse event, added later without changing what was recorded.</summary>
public sealed record ResolveAdverseEventRequest
{
    /// <summary>When it resolved: not in the future, not before onset.</summary>
    [Required]
    public DateTimeOffset? ResolvedAt { get; init; }
}

/// <summary>A recorded observation.</summary>
/// <param name="Id">Observation id.</param>
/// <param name="SessionId">Session id.</param>
/// <param name="Kind">What was measured.</param>
/// <param name="Systolic">Systolic mmHg.</param>
/// <param name="Diastolic">Diastolic mmHg.</param>
/// <param name="Value">Single value.</param>
/// <param name="ObservedAt">When measured.</param>
/// <param name="FlagsSession">True for MOAA/S 0 or SpO2 below 90.</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="RecordedAt">When it was recorded.</param>
/// <param name="Voided">True when entered-in-error.</param>
/// <param name="VoidReason">Why it was voided.</param>
public sealed record ObservationResponse(
    Guid Id, Guid SessionId, ObservationKind Kind, int? Systolic, int? Diastolic, int? Value, DateTime ObservedAt, bool FlagsSession,
    string RecordedBy, DateTime RecordedAt, bool Voided, string? VoidReason)
{
    internal static ObservationResponse From(Observation o) => new(
        o.Id, o.SessionId, o.Kind, o.Systolic, o.Diastolic, o.Value, o.ObservedAt, o.FlagsSession, o.RecordedBy, o.RecordedAt, o.Voided, o.VoidReason);
}

/// <summary>A recorded adverse event.</summary>
/// <param name="Id">Event id.</param>
/// <param name="SessionId">Session id.</param>
/// <param name="Type">Event type.</param>
/// <param name="OtherType">Text for type other.</param>
/// <param name="Severity">Severity.</param>
/// <param name="OnsetAt">Onset.</param>
/// <param name="ResolvedAt">Resolution, if any.</param>
/// <param name="Description">Clinical description.</param>
/// <param name="RecordedBy">Who recorded it.</param>
/// <param name="RecordedAt">When it was recorded.</param>
public sealed record AdverseEventResponse(
    Guid Id, Guid SessionId, AdverseEventType Type, string? OtherType, AdverseEventSeverity Severity, DateTime OnsetAt,
    DateTime? ResolvedAt, string? Description, string RecordedBy, DateTime RecordedAt)
{
    internal static AdverseEventResponse From(AdverseEvent a) =>
        new(a.Id, a.SessionId, a.Type, a.OtherType, a.Severity, a.OnsetAt, a.ResolvedAt, a.Description, a.RecordedBy, a.RecordedAt);
}
