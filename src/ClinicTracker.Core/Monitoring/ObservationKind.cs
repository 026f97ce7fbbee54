namespace ClinicTracker.Core.Monitoring;

/// <summary>
/// The timed measurements of a session (domain.md §5). Serialized kebab-case lower:
/// "blood-pressure", "heart-rate", "spo2", "cadss", "moaas".
/// </summary>
public enum ObservationKind
{
    /// <summary>Systolic and diastolic, mmHg.</summary>
    BloodPressure,

    /// <summary>Beats per minute.</summary>
    HeartRate,

    /// <summary>Oxygen saturation, %.</summary>
    Spo2,

    /// <summary>Clinician-Administered Dissociative States Scale total (23 items, each 0–4).</summary>
    Cadss,

    /// <summary>Modified Observer's Assessment of Alertness/Sedation, 0 (no response) to 5 (alert).</summary>
    Moaas,
}
