namespace ClinicTracker.Core.Adherence;

/// <summary>Why a due date was missed (domain.md §10 rule 4); serialized kebab-case.</summary>
public enum MissedReason
{
    NoShow,
    CancelledByPatient,
    CancelledByClinic,
    Held,

    /// <summary>No not-completed session of the plan was scheduled inside the window.</summary>
    NotScheduled,
}
