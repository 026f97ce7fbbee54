using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Outcomes;

/// <summary>An open flag awaits a prescriber's acknowledgement; an acknowledged one records who, when and what was done.</summary>
public enum SafetyFlagStatus
{
    Open,
    Acknowledged,
}

/// <summary>
/// A safety flag on a patient: PHQ-9 item 9 (thoughts of self-harm) answered above 0 (domain.md §7). It stays
/// open until a prescriber acknowledges it with the action taken; it is never deleted or reopened.
/// </summary>
public sealed class SafetyFlag : IRecordedInOrder, Sites.IPatientLinked
{
    /// <summary>The reason code of a flag raised by PHQ-9 item 9 (LOINC 44260-8).</summary>
    public const string Phq9Item9Reason = "phq9-item9";

    private SafetyFlag()
    {
    }

    public Guid Id { get; private set; }

    public Guid PatientId { get; private set; }

    /// <summary>The assessment whose answers raised the flag.</summary>
    public Guid AssessmentId { get; private set; }

    /// <summary>When the server raised the flag (UTC): when the assessment was recorded.</summary>
    public DateTime RaisedAt { get; private set; }

    /// <summary>Why the flag was raised: <see cref="Phq9Item9Reason"/>.</summary>
    public string Reason { get; private set; } = "";

    /// <summary>The PHQ-9 item 9 answer (1–3) that raised the flag.</summary>
    public int Item9Score { get; private set; }

    public SafetyFlagStatus Status { get; private set; }

    public string? AcknowledgedBy { get; private set; }

    public DateTime? AcknowledgedAt { get; private set; }

    /// <summary>What the prescriber did about it (e.g. safety plan reviewed, crisis referral).</summary>
    public string? ActionTaken { get; private set; }

    /// <summary>The flag an assessment raises, or null when its answers raise none.</summary>
    public static SafetyFlag? RaisedBy(Assessment assessment, DateTime nowUtc)
    {
        ArgumentNullException.ThrowIfNull(assessment);
        if (!assessment.RaisesSafetyFlag)
        {
            return null;
        }

        return new SafetyFlag
        {
            Id = Guid.CreateVersion7(),
            PatientId = assessment.PatientId,
            AssessmentId = assessment.Id,
            RaisedAt = nowUtc,
            Reason = Phq9Item9Reason,
            Item9Score = assessment.Phq9Item9!.Value,
            Status = SafetyFlagStatus.Open,
        };
    }

    public RuleViolation? Acknowledge(string actionTaken, string userName, DateTime nowUtc)
    {
        if (Status == SafetyFlagStatus.Acknowledged)
        {
            return RuleViolation.Conflict("safety-flag.already-acknowledged", "The safety flag is already acknowledged.",
                $"Safety flag {Id} was acknowledged before; record further actions in the clinical notes.");
        }

        Status = SafetyFlagStatus.Acknowledged;
        AcknowledgedBy = userName;
        AcknowledgedAt = nowUtc;
        ActionTaken = actionTaken.Trim();
        return null;
    }
}
