using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Monitoring;

/// <summary>
/// A timed measurement in a session (domain.md §5): blood pressure, heart rate, SpO2, CADSS or MOAA/S.
/// Never edited: a wrong entry is voided (entered-in-error) with a reason and an author (domain.md §8).
/// </summary>
public sealed class Observation : IRecordedInOrder, Sites.ISessionLinked
{
    private Observation()
    {
    }

    public Guid Id { get; private set; }

    public Guid SessionId { get; private set; }

    public Guid PatientId { get; private set; }

    public ObservationKind Kind { get; private set; }

    public int? Systolic { get; private set; }

    public int? Diastolic { get; private set; }

    /// <summary>The value of a single-valued kind: /min, %, CADSS total or MOAA/S score.</summary>
    public int? Value { get; private set; }

    public DateTime ObservedAt { get; private set; }

    public string RecordedBy { get; private set; } = "";

    public DateTime RecordedAt { get; private set; }

    public bool Voided { get; private set; }

    public DateTime? VoidedAt { get; private set; }

    public string? VoidedBy { get; private set; }

    public string? VoidReason { get; private set; }

    /// <summary>MOAA/S 0 or SpO2 below 90 flags the session (domain.md §5).</summary>
    public bool FlagsSession => ObservationRules.FlagsSession(Kind, Value);

    public static Observation Record(Guid sessionId, Guid patientId, ObservationKind kind, int? systolic, int? diastolic, int? value,
        DateTime observedAtUtc, string userName, DateTime nowUtc) => new()
        {
            Id = Guid.CreateVersion7(),
            SessionId = sessionId,
            PatientId = patientId,
            Kind = kind,
            Systolic = systolic,
            Diastolic = diastolic,
            Value = value,
            ObservedAt = observedAtUtc,
            RecordedBy = userName,
            RecordedAt = nowUtc,
        };

    public RuleViolation? Void(string reason, string userName, DateTime nowUtc)
    {
        if (Voided)
        {
            return RuleViolation.Conflict("observation.already-voided", "The observation is already voided.", $"Observation {Id} was voided before.");
        }

        Voided = true;
        VoidedAt = nowUtc;
        VoidedBy = userName;
        VoidReason = reason.Trim();
        return null;
    }

    /// <summary>This observation as a BP reading, when it is one.</summary>
    public BpReading? AsBpReading() => Kind == ObservationKind.BloodPressure && Systolic is { } s && Diastolic is { } d
        ? new BpReading(Id, ObservedAt, s, d)
        : null;
}
