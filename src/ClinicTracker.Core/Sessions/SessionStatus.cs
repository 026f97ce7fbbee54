namespace ClinicTracker.Core.Sessions;

/// <summary>Session lifecycle states (domain.md §4). Serialized kebab-case: "checked-in", "in-progress", "no-show".</summary>
public enum SessionStatus
{
    Scheduled,
    CheckedIn,
    InProgress,
    Completed,
    Cancelled,
    NoShow,
    Held,
}

/// <summary>Who cancelled a session; adherence reports it as cancelled-by-patient or cancelled-by-clinic.</summary>
public enum CancelledBy
{
    Patient,
    Clinic,
}

/// <summary>Basis of the weight used for dosing (domain.md §3).</summary>
public enum WeightBasis
{
    Actual,
    Ideal,
}

/// <summary>The only transitions domain.md §4 allows; any other is a 409 <c>session.invalid-transition</c>.</summary>
public static class SessionLifecycle
{
    private static readonly Dictionary<SessionStatus, SessionStatus[]> Allowed = new()
    {
        [SessionStatus.Scheduled] = [SessionStatus.CheckedIn, SessionStatus.Cancelled, SessionStatus.NoShow],
        // A checked-in patient may still be sent home: cancelled, or held when the pre-dose safety gate fails.
        [SessionStatus.CheckedIn] = [SessionStatus.InProgress, SessionStatus.Cancelled, SessionStatus.Held],
        [SessionStatus.InProgress] = [SessionStatus.Completed],
        // Completed, cancelled, no-show and held are final.
        [SessionStatus.Completed] = [],
        [SessionStatus.Cancelled] = [],
        [SessionStatus.NoShow] = [],
        [SessionStatus.Held] = [],
    };

    public static bool CanMove(SessionStatus from, SessionStatus to) => Allowed[from].Contains(to);

    public static bool IsFinal(SessionStatus status) => Allowed[status].Length == 0;
}
