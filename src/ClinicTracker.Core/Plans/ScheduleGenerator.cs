using static System.FormattableString;

namespace ClinicTracker.Core.Plans;

/// <summary>
/// Turns a plan's start date and phases into its due dates (domain.md §6).
/// </summary>
/// <remarks>
/// <para>Phases are consecutive blocks. Phase 0's block starts on the plan's start date; each next
/// phase's block starts at the previous block's start plus its length.</para>
/// <para>An every-days phase puts its sessions at blockStart, blockStart + every, blockStart + 2 × every, …;
/// its block length is Sessions × EveryDays days, so the next phase starts one interval after its last
/// session.</para>
/// <para>A weekday phase puts its sessions on successive days from blockStart (inclusive) whose weekday is
/// in the set, until it has Sessions dates; its block length is the number of whole weeks from blockStart
/// needed to contain its last session: ceil((last − blockStart + 1) / 7) × 7 days.</para>
/// <para>All dates are clinic-local calendar dates (<see cref="DateOnly"/>), so a daylight-saving change
/// cannot shift them; converting a date to an instant is the caller's business.</para>
/// </remarks>
public static class ScheduleGenerator
{
    public const int MinPhases = 1;
    public const int MaxPhases = 10;
    public const int MaxNameLength = 50;
    public const int MinSessions = 1;
    public const int MaxSessions = 200;
    public const int MinEveryDays = 1;
    public const int MaxEveryDays = 90;

    /// <summary>
    /// The due dates of a plan in date order, each with its window [Date − tolerance, Date + tolerance].
    /// </summary>
    /// <exception cref="ArgumentException">The phases fail <see cref="Validate"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="toleranceDays"/> is negative, or a date falls outside <see cref="DateOnly"/>'s range.
    /// </exception>
    public static IReadOnlyList<DueDate> DueDates(DateOnly startDate, IReadOnlyList<PlanPhase> phases, int toleranceDays)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(toleranceDays);
        var problems = Validate(phases);
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(phases));
        }

        var dueDates = new List<DueDate>(phases.Sum(p => p.Sessions));
        var blockStart = startDate;
        for (var phaseIndex = 0; phaseIndex < phases.Count; phaseIndex++)
        {
            var phase = phases[phaseIndex];
            var dates = phase.EveryDays is { } every
                ? EveryDaysDates(blockStart, phase.Sessions, every)
                : WeekdayDates(blockStart, phase.Sessions, phase.Weekdays!);

            foreach (var date in dates)
            {
                dueDates.Add(new DueDate(
                    dueDates.Count, phase.Name, phaseIndex, date,
                    date.AddDays(-toleranceDays), date.AddDays(toleranceDays)));
            }

            blockStart = blockStart.AddDays(BlockLengthDays(phase, blockStart, dates[^1]));
        }

        return dueDates;
    }

    /// <summary>
    /// Problems with a list of phases, as sentences naming the field (e.g. "phases[1].sessions …");
    /// empty when the phases can be scheduled.
    /// </summary>
    public static IReadOnlyList<string> Validate(IReadOnlyList<PlanPhase> phases)
    {
        ArgumentNullException.ThrowIfNull(phases);
        var problems = new List<string>();
        if (phases.Count is < MinPhases or > MaxPhases)
        {
            problems.Add(Invariant($"A plan needs {MinPhases} to {MaxPhases} phases (was {phases.Count})."));
        }

        for (var i = 0; i < phases.Count; i++)
        {
            var phase = phases[i];
            var at = Invariant($"phases[{i}]");
            if (phase is null)
            {
                problems.Add($"{at} is missing.");
                continue;
            }

            if (string.IsNullOrWhiteSpace(phase.Name) || phase.Name.Length > MaxNameLength)
            {
                problems.Add(Invariant($"{at}.name must be 1 to {MaxNameLength} characters and not blank."));
            }

            if (phase.Sessions is < MinSessions or > MaxSessions)
            {
                problems.Add(Invariant($"{at}.sessions must be {MinSessions} to {MaxSessions} (was {phase.Sessions})."));
            }

            switch (phase.EveryDays, phase.Weekdays)
            {
                case (not null, not null):
                    problems.Add($"{at} sets both everyDays and weekdays; set exactly one.");
                    break;
                case (null, null):
                    problems.Add($"{at} sets neither everyDays nor weekdays; set exactly one.");
                    break;
                case ({ } every, null) when every is < MinEveryDays or > MaxEveryDays:
                    problems.Add(Invariant($"{at}.everyDays must be {MinEveryDays} to {MaxEveryDays} (was {every})."));
                    break;
                case (null, { } weekdays):
                    problems.AddRange(WeekdayProblems(at, weekdays));
                    break;
            }
        }

        return problems;
    }

    private static IEnumerable<string> WeekdayProblems(string at, IReadOnlyList<DayOfWeek> weekdays)
    {
        if (weekdays.Count is < 1 or > 7)
        {
            yield return Invariant($"{at}.weekdays must list 1 to 7 days (was {weekdays.Count}).");
        }

        if (weekdays.Any(d => !Enum.IsDefined(d)))
        {
            yield return $"{at}.weekdays contains a value that is not a day of the week.";
        }

        var repeated = weekdays.GroupBy(d => d).Where(g => g.Count() > 1).Select(g => g.Key.ToString()).ToList();
        if (repeated.Count > 0)
        {
            yield return $"{at}.weekdays lists {string.Join(", ", repeated)} more than once.";
        }
    }

    private static List<DateOnly> EveryDaysDates(DateOnly blockStart, int sessions, int every)
    {
        var dates = new List<DateOnly>(sessions);
        for (var n = 0; n < sessions; n++)
        {
            dates.Add(blockStart.AddDays(n * every));
        }

        return dates;
    }

    private static List<DateOnly> WeekdayDates(DateOnly blockStart, int sessions, IReadOnlyList<DayOfWeek> weekdays)
    {
        var dates = new List<DateOnly>(sessions);
        for (var day = blockStart; dates.Count < sessions; day = day.AddDays(1))
        {
            if (weekdays.Contains(day.DayOfWeek))
            {
                dates.Add(day);
            }
        }

        return dates;
    }

    private static int BlockLengthDays(PlanPhase phase, DateOnly blockStart, DateOnly lastSession)
    {
        if (phase.EveryDays is { } every)
        {
            return phase.Sessions * every;
        }

        // Whole weeks from blockStart that contain the last session: ceil(span / 7) × 7.
        var spanDays = lastSession.DayNumber - blockStart.DayNumber + 1;
        return (spanDays + 6) / 7 * 7;
    }
}
