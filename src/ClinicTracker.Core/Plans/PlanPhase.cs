namespace ClinicTracker.Core.Plans;

/// <summary>
/// One block of a treatment plan's schedule (domain.md §6): <paramref name="Sessions"/> sessions either
/// every <paramref name="EveryDays"/> days or on the given <paramref name="Weekdays"/>. Exactly one of
/// the two is set; <see cref="ScheduleGenerator.Validate"/> states the ranges.
/// </summary>
/// <param name="Name">Phase name, 1–50 characters (e.g. <see cref="PlanTemplates.InductionPhase"/>).</param>
/// <param name="Sessions">Number of due dates in the phase, 1–200.</param>
/// <param name="EveryDays">Days between sessions, 1–90; null for a weekday pattern.</param>
/// <param name="Weekdays">1–7 distinct days of the week; null for an every-days phase.</param>
public sealed record PlanPhase(string Name, int Sessions, int? EveryDays, IReadOnlyList<DayOfWeek>? Weekdays);

/// <summary>
/// One due date of a plan with its window [Date − tolerance, Date + tolerance] (domain.md §10 rule 1).
/// </summary>
/// <param name="Index">0-based position over the whole plan.</param>
/// <param name="Phase">Name of the phase the date belongs to.</param>
/// <param name="PhaseIndex">0-based position of that phase in the plan.</param>
/// <param name="Date">Clinic-local calendar date the session is due.</param>
/// <param name="WindowStart">First clinic-local date a session still counts for this due date.</param>
/// <param name="WindowEnd">Last clinic-local date a session counts as on time.</param>
public sealed record DueDate(int Index, string Phase, int PhaseIndex, DateOnly Date, DateOnly WindowStart, DateOnly WindowEnd);
