namespace ClinicTracker.Core.Adherence;

/// <summary>A plan's adherence as of a date (domain.md §10 rule 5).</summary>
/// <param name="Due">
/// Counted due dates: <paramref name="OnTime"/> + <paramref name="Late"/> + <paramref name="Missed"/>.
/// </param>
/// <param name="OnTime">Due dates matched to a completed session inside their window.</param>
/// <param name="Late">Due dates matched to a completed session after their window.</param>
/// <param name="Missed">Due dates whose window closed with no match.</param>
/// <param name="MissedByReason">Missed due dates per reason; every reason is present, zero included.</param>
/// <param name="AdherenceRate">(on time + late) / due, 4 decimals; null when nothing is due.</param>
/// <param name="OnTimeRate">on time / due, 4 decimals; null when nothing is due.</param>
/// <param name="LongestGapDays">
/// Longest gap in days between consecutive completed sessions; null with fewer than two.
/// </param>
/// <param name="DaysSinceLastSession">Days from the last completed session to the report date; null with none.</param>
/// <param name="NextDueDate">
/// The first upcoming due date on or after the report date, else the first upcoming one; null with none.
/// </param>
/// <param name="InductionComplete">Every induction due date of the plan is on time or late.</param>
/// <param name="Persistent">
/// No gap in treatment longer than the persistence gap (see <see cref="AdherenceCalculator"/>).
/// </param>
/// <param name="DueDates">One outcome per reported due date, in date order.</param>
public sealed record AdherenceReport(
    int Due,
    int OnTime,
    int Late,
    int Missed,
    IReadOnlyDictionary<MissedReason, int> MissedByReason,
    decimal? AdherenceRate,
    decimal? OnTimeRate,
    int? LongestGapDays,
    int? DaysSinceLastSession,
    DateOnly? NextDueDate,
    bool InductionComplete,
    bool Persistent,
    IReadOnlyList<DueDateOutcome> DueDates);

/// <summary>How one due date stands.</summary>
/// <param name="DueDate">The due date d.</param>
/// <param name="WindowStart">d − t.</param>
/// <param name="WindowEnd">d + t.</param>
/// <param name="Status">On time, late, missed or upcoming.</param>
/// <param name="SessionId">The matched completed session (on time or late only).</param>
/// <param name="SessionDate">The matched session's local date (on time or late only).</param>
/// <param name="MissedReason">Why it was missed (missed only).</param>
public sealed record DueDateOutcome(
    DateOnly DueDate,
    DateOnly WindowStart,
    DateOnly WindowEnd,
    DueDateStatus Status,
    Guid? SessionId,
    DateOnly? SessionDate,
    MissedReason? MissedReason);
