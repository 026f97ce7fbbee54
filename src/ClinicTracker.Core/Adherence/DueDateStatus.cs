namespace ClinicTracker.Core.Adherence;

/// <summary>How one due date stands as of the report date (domain.md §10).</summary>
public enum DueDateStatus
{
    /// <summary>Matched to a completed session dated inside its window (rule 2).</summary>
    OnTime,

    /// <summary>Matched to a completed session after its window, before the next window opens (rule 3).</summary>
    Late,

    /// <summary>Window closed with no session matched (rule 4).</summary>
    Missed,

    /// <summary>Window still open and nothing matched yet: not counted.</summary>
    Upcoming,
}
