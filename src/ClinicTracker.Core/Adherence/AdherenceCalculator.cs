namespace ClinicTracker.Core.Adherence;

/// <summary>
/// The product's adherence definition (domain.md §10), as a pure function of clinic-local dates.
/// </summary>
/// <remarks>
/// <para>Rules, in the order they are applied to each due date d with window [d − t, d + t]:</para>
/// <list type="number">
/// <item>Only completed sessions dated on or before the report date D take part in matching and gaps.</item>
/// <item>On time: the earliest unmatched completed session dated inside the window.</item>
/// <item>
/// Late: otherwise the earliest unmatched completed session dated after the window end and before the
/// next due date's window opens (for the plan's last due date: up to and including D). Due dates are
/// processed in date order, each trying on time before late, so no session is used twice.
/// </item>
/// <item>
/// Missed: otherwise, once the window has closed (d + t &lt; D). The reason comes from the latest, by
/// scheduled instant, of the plan's not-completed sessions dated inside the window: no-show, cancelled by
/// patient or clinic, held, or not-closed for one still open (scheduled, checked in, in progress); with
/// none, not-scheduled.
/// </item>
/// <item>Upcoming: window still open and nothing matched; not counted.</item>
/// </list>
/// <para>Interpretations where §10 leaves room:</para>
/// <list type="bullet">
/// <item>
/// Ties: two completed sessions on the same date are taken in <see cref="Guid"/> order. Two not-completed
/// sessions booked for the very same instant (a double booking) resolve held, then cancelled by clinic,
/// then cancelled by patient, then no-show (the patient who was held had at least shown up), then
/// not-closed (a recorded outcome says more than a booking nobody closed), then the larger id. Neither
/// depends on the input order.
/// </item>
/// <item>
/// "Still open after the window closed" is judged on the statuses as loaded: a report for a past date D
/// shows not-closed for a session that is open now, and a session closed since shows its reason.
/// </item>
/// <item>
/// Ended plans (discontinued or completed): due dates after the date the plan ended are omitted from the
/// report. This only hides them: the late limit of the last kept due date is still the opening of the
/// plan's next window, so a kept due date comes out exactly as it would had the plan not ended.
/// </item>
/// <item>
/// Before the start: nothing is due, unless a completed session inside the first window (which opens
/// t days before the first due date) has already been matched; rule 1 makes that one count.
/// </item>
/// <item>
/// Next due date: the first upcoming due date on or after D; when every upcoming due date lies before
/// D (its window still open), the first of them; null when nothing is upcoming.
/// </item>
/// <item>
/// Induction complete: every induction due date of the plan is on time or late. A missed induction due
/// date, or one left out by discontinuation, keeps it false; a plan without induction due dates is
/// complete (there is nothing left to do in that phase).
/// </item>
/// <item>
/// Persistent: no gap longer than the persistence gap (60 days by default) in the sequence first
/// reported due date → completed sessions → min(D, last reported due date). The leading gap (plan
/// start to first completed session) is included so that a patient who starts late does not turn
/// persistent again by finally attending; the trailing gap stops at the last due date because after
/// the plan ends nobody is expected. With no completed session yet, persistent while D − first due
/// date ≤ the gap. A plan with no reported due dates only checks the gaps between sessions.
/// </item>
/// </list>
/// </remarks>
public static class AdherenceCalculator
{
    public static AdherenceReport Calculate(AdherenceInput input)
    {
        Validate(input);
        var asOf = input.AsOf;
        var t = input.ToleranceDays;
        var plan = input.DueDates;

        // Rule 2: only completed sessions dated ≤ D are considered at all.
        var completed = input.Sessions
            .Where(s => s.Status == AdherenceSessionStatus.Completed && s.LocalDate <= asOf)
            .OrderBy(s => s.LocalDate)
            .ThenBy(s => s.Id)
            .ToList();
        var used = new bool[completed.Count];

        var outcomes = new List<DueDateOutcome>(plan.Count);
        for (var i = 0; i < plan.Count; i++)
        {
            var due = plan[i].Date;
            if (input.EndedOn is { } stop && due > stop)
            {
                // Sorted: every later due date is after the plan's end too.
                break;
            }

            var start = due.AddDays(-t);
            var end = due.AddDays(t);
            DateOnly? nextWindowStart = i + 1 < plan.Count ? plan[i + 1].Date.AddDays(-t) : null;

            var onTime = TakeEarliest(completed, used, d => d >= start && d <= end);
            if (onTime is not null)
            {
                outcomes.Add(new(due, start, end, DueDateStatus.OnTime, onTime.Id, onTime.LocalDate, null));
                continue;
            }

            // Rule 3: after the window, before the next window opens (last due date: up to D).
            var late = TakeEarliest(
                completed, used, d => d > end && (nextWindowStart is { } next ? d < next : d <= asOf));
            if (late is not null)
            {
                outcomes.Add(new(due, start, end, DueDateStatus.Late, late.Id, late.LocalDate, null));
                continue;
            }

            outcomes.Add(end < asOf
                ? new(due, start, end, DueDateStatus.Missed, null, null, ReasonFor(input.Sessions, start, end))
                : new(due, start, end, DueDateStatus.Upcoming, null, null, null));
        }

        var counted = outcomes.Where(o => o.Status != DueDateStatus.Upcoming).ToList();
        var onTimeCount = counted.Count(o => o.Status == DueDateStatus.OnTime);
        var lateCount = counted.Count(o => o.Status == DueDateStatus.Late);
        var missedCount = counted.Count(o => o.Status == DueDateStatus.Missed);
        var missedByReason = Enum.GetValues<MissedReason>()
            .ToDictionary(r => r, r => counted.Count(o => o.MissedReason == r));

        var sessionDates = completed.Select(s => s.LocalDate).ToList();
        int? longestGap = sessionDates.Count < 2
            ? null
            : sessionDates.Zip(sessionDates.Skip(1), Days).Max();
        int? daysSinceLast = sessionDates.Count == 0 ? null : Days(sessionDates[^1], asOf);

        var upcoming = outcomes.Where(o => o.Status == DueDateStatus.Upcoming).ToList();
        var nextDue = (upcoming.FirstOrDefault(o => o.DueDate >= asOf) ?? upcoming.FirstOrDefault())?.DueDate;

        // Outcomes are a prefix of the plan, so plan index i is reported iff i < outcomes.Count.
        var inductionComplete = plan
            .Select((d, i) => (d.IsInduction, Index: i))
            .Where(x => x.IsInduction)
            .All(x => x.Index < outcomes.Count
                && outcomes[x.Index].Status is DueDateStatus.OnTime or DueDateStatus.Late);

        return new AdherenceReport(
            Due: counted.Count,
            OnTime: onTimeCount,
            Late: lateCount,
            Missed: missedCount,
            MissedByReason: missedByReason,
            AdherenceRate: Rate(onTimeCount + lateCount, counted.Count),
            OnTimeRate: Rate(onTimeCount, counted.Count),
            LongestGapDays: longestGap,
            DaysSinceLastSession: daysSinceLast,
            NextDueDate: nextDue,
            InductionComplete: inductionComplete,
            Persistent: IsPersistent(sessionDates, outcomes, asOf, input.PersistenceGapDays),
            DueDates: outcomes);
    }

    /// <summary>numerator / denominator rounded to 4 decimals away from zero; null when nothing is due.</summary>
    internal static decimal? Rate(int numerator, int denominator) =>
        denominator == 0 ? null : Math.Round((decimal)numerator / denominator, 4, MidpointRounding.AwayFromZero);

    private static AdherenceSession? TakeEarliest(
        List<AdherenceSession> completed, bool[] used, Func<DateOnly, bool> fits)
    {
        for (var k = 0; k < completed.Count; k++)
        {
            if (!used[k] && fits(completed[k].LocalDate))
            {
                used[k] = true;
                return completed[k];
            }
        }

        return null;
    }

    /// <summary>Rule 4: the reason of the latest (by scheduled instant) not-completed session dated inside [start, end].</summary>
    private static MissedReason ReasonFor(IReadOnlyList<AdherenceSession> sessions, DateOnly start, DateOnly end)
    {
        AdherenceSession? latest = null;
        foreach (var s in sessions)
        {
            if (s.Status == AdherenceSessionStatus.Completed || s.LocalDate < start || s.LocalDate > end)
            {
                continue;
            }

            if (latest is null || Later(s, latest))
            {
                latest = s;
            }
        }

        return latest is null ? MissedReason.NotScheduled : ToReason(latest.Status);
    }

    /// <summary>Whether <paramref name="a"/> comes after <paramref name="b"/>: scheduled instant, then the fixed tie order, then id.</summary>
    private static bool Later(AdherenceSession a, AdherenceSession b) =>
        a.ScheduledAt != b.ScheduledAt
            ? a.ScheduledAt > b.ScheduledAt
            : TiePrecedence(a.Status) != TiePrecedence(b.Status)
                ? TiePrecedence(a.Status) > TiePrecedence(b.Status)
                : a.Id.CompareTo(b.Id) > 0;

    private static MissedReason ToReason(AdherenceSessionStatus status) => status switch
    {
        AdherenceSessionStatus.NoShow => MissedReason.NoShow,
        AdherenceSessionStatus.CancelledByPatient => MissedReason.CancelledByPatient,
        AdherenceSessionStatus.CancelledByClinic => MissedReason.CancelledByClinic,
        AdherenceSessionStatus.Held => MissedReason.Held,
        // Scheduled, checked in or in progress after the window closed (rule 4).
        AdherenceSessionStatus.Open => MissedReason.NotClosed,
        // Completed sessions are filtered out before: they attend, they never explain a miss.
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "A completed session explains no miss."),
    };

    // Sessions booked for the same instant: held > cancelled by clinic > cancelled by patient > no-show > not closed.
    private static int TiePrecedence(AdherenceSessionStatus status) => status switch
    {
        AdherenceSessionStatus.Held => 5,
        AdherenceSessionStatus.CancelledByClinic => 4,
        AdherenceSessionStatus.CancelledByPatient => 3,
        AdherenceSessionStatus.NoShow => 2,
        _ => 1,
    };

    private static bool IsPersistent(
        List<DateOnly> sessionDates, List<DueDateOutcome> reported, DateOnly asOf, int maxGap)
    {
        if (sessionDates.Count == 0)
        {
            return reported.Count == 0 || Days(reported[0].DueDate, asOf) <= maxGap;
        }

        for (var k = 1; k < sessionDates.Count; k++)
        {
            if (Days(sessionDates[k - 1], sessionDates[k]) > maxGap)
            {
                return false;
            }
        }

        if (reported.Count == 0)
        {
            return true;
        }

        var trailingEnd = asOf < reported[^1].DueDate ? asOf : reported[^1].DueDate;
        return Days(reported[0].DueDate, sessionDates[0]) <= maxGap
            && Days(sessionDates[^1], trailingEnd) <= maxGap;
    }

    private static int Days(DateOnly from, DateOnly to) => to.DayNumber - from.DayNumber;

    private static void Validate(AdherenceInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(input.DueDates);
        ArgumentNullException.ThrowIfNull(input.Sessions);
        ArgumentOutOfRangeException.ThrowIfNegative(input.ToleranceDays);
        ArgumentOutOfRangeException.ThrowIfNegative(input.PersistenceGapDays);
        for (var i = 1; i < input.DueDates.Count; i++)
        {
            if (input.DueDates[i].Date <= input.DueDates[i - 1].Date)
            {
                throw new ArgumentException("Due dates must be strictly ascending.", nameof(input));
            }
        }
    }
}
