using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Outcomes;

/// <summary>Whether an assessment stands or was marked entered-in-error (FHIR Observation status).</summary>
public enum AssessmentStatus
{
    Completed,
    EnteredInError,
}

/// <summary>
/// One PHQ-9 or MADRS with its item answers (domain.md §7), scored by the server when recorded. Immutable
/// once recorded: the only change is being voided (entered-in-error) with a reason and an author (domain.md §8).
/// </summary>
public sealed class Assessment : Sites.IPatientLinked
{
    private Assessment()
    {
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    public Instrument Instrument { get; private set; }

    /// <summary>The answers in questionnaire order (item 1 first), as given.</summary>
    public IReadOnlyList<int> Items { get; private set; } = [];

    /// <summary>The server-computed sum of <see cref="Items"/>.</summary>
    public int Total { get; private set; }

    /// <summary>The severity band code of <see cref="Total"/> (<see cref="AssessmentBands"/>).</summary>
    public string Band { get; private set; } = "";

    /// <summary>When the patient was assessed (UTC); the clinic may record it later.</summary>
    public DateTime AssessedAt { get; private set; }

    public AssessmentStatus Status { get; private set; }

    public string RecordedBy { get; private set; } = "";

    public DateTime RecordedAt { get; private set; }

    public DateTime? VoidedAt { get; private set; }

    public string? VoidedBy { get; private set; }

    public string? VoidReason { get; private set; }

    /// <summary>Scores the answers and records them.</summary>
    /// <exception cref="ArgumentException">The answers fail <see cref="AssessmentScoring.ValidateItems"/> (the API validates first).</exception>
    public static Assessment Record(
        Guid patientId, Instrument instrument, IReadOnlyList<int> items, DateTime assessedAtUtc, string userName, DateTime nowUtc)
    {
        var total = AssessmentScoring.Total(instrument, items);
        return new Assessment
        {
            Id = Guid.CreateVersion7(),
            PatientId = patientId,
            Instrument = instrument,
            Items = [.. items],
            Total = total,
            Band = AssessmentScoring.Band(instrument, total),
            AssessedAt = assessedAtUtc,
            Status = AssessmentStatus.Completed,
            RecordedBy = userName,
            RecordedAt = nowUtc,
        };
    }

    /// <summary>Whether these answers open a safety flag (PHQ-9 item 9 above 0, domain.md §7).</summary>
    public bool RaisesSafetyFlag => AssessmentScoring.RaisesSafetyFlag(Instrument, Items);

    /// <summary>The answer to PHQ-9 item 9 (thoughts of self-harm); null for a MADRS.</summary>
    public int? Phq9Item9 => Instrument == Instrument.Phq9 ? Items[AssessmentScoring.Phq9SelfHarmItemIndex] : null;

    /// <summary>Marks the assessment entered-in-error: it stays in the record and no longer counts in outcomes.</summary>
    public RuleViolation? Void(string reason, string userName, DateTime nowUtc)
    {
        if (Status == AssessmentStatus.EnteredInError)
        {
            return RuleViolation.Conflict("assessment.already-voided", "The assessment is already voided.",
                $"Assessment {Id} was marked entered-in-error before.");
        }

        Status = AssessmentStatus.EnteredInError;
        VoidedAt = nowUtc;
        VoidedBy = userName;
        VoidReason = reason.Trim();
        return null;
    }
}
