namespace ClinicTracker.Core.Adherence;

/// <summary>
/// Why a due date was missed (domain.md §10 rule 4): taken from the latest (by scheduled time) not-completed
/// session of the plan dated inside the window. Serialized kebab-case ("not-closed").
/// </summary>
public enum MissedReason
{
    NoShow,
    CancelledByPatient,
    CancelledByClinic,
    Held,

    /// <summary>
    /// That session was still scheduled, checked in or in progress after the window closed: nobody recorded
    /// what happened to it.
    /// </summary>
    NotClosed,

    /// <summary>No not-completed session of the plan was scheduled inside the window.</summary>
    NotScheduled,
}
