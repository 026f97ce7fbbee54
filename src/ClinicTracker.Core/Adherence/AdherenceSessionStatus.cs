namespace ClinicTracker.Core.Adherence;

/// <summary>
/// A session's status as adherence sees it (domain.md §4 collapsed): completed, one of the four
/// miss reasons, or <see cref="Open"/> (scheduled, checked-in or in-progress).
/// </summary>
public enum AdherenceSessionStatus
{
    Completed,
    NoShow,
    CancelledByPatient,
    CancelledByClinic,
    Held,

    /// <summary>
    /// Not completed and not final: it matches no due date, and explains a miss as
    /// <see cref="MissedReason.NotClosed"/> (domain.md §10 rule 4).
    /// </summary>
    Open,
}
