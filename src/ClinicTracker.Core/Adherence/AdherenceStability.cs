namespace ClinicTracker.Core.Adherence;

/// <summary>
/// How long a plan's adherence figures stay as they are while nothing is written: the figures the clinic-wide
/// report lists (due, on time, late, missed, the rates, the next due date and the last session's date) change
/// with the passing of time only on a few dates, and this finds the first of them.
/// </summary>
/// <remarks>
/// <para>With the sessions fixed, <see cref="AdherenceCalculator"/> depends on the report date D only through:</para>
/// <list type="bullet">
/// <item>rule 1: a completed session dated s takes part once D ≥ s (a session dated after D, which only a clock
/// ahead of the clinic's could make, joins on date s);</item>
/// <item>rules 4–5: due date d's window closes once D ≥ d + t + 1, turning it from upcoming to missed;</item>
/// <item>the next due date: the first upcoming due date on or after D, which moves on once D ≥ d + 1.</item>
/// </list>
/// <para>The last completed session's date moves only with rule 1 (dates ≤ D). Days since the last session grow
/// every day, so they are not stored: the report computes them as D − the last session's date. Persistence and
/// induction completion are not in the clinic report, so their dates do not count here.</para>
/// </remarks>
public static class AdherenceStability
{
    /// <summary>
    /// The last date D′ ≥ <see cref="AdherenceInput.AsOf"/> for which the report's listed figures equal those as
    /// of AsOf; null when no later date changes them (nothing upcoming, no session dated ahead). A safe bound:
    /// the figures may also be unchanged the day after, never changed before it.
    /// </summary>
    public static DateOnly? StableThrough(AdherenceInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var asOf = input.AsOf;
        DateOnly? first = null;

        void Candidate(DateOnly date)
        {
            if (date > asOf && (first is null || date < first))
            {
                first = date;
            }
        }

        foreach (var due in input.DueDates)
        {
            if (input.EndedOn is { } ended && due.Date > ended)
            {
                // Not reported at all once the plan has ended (AdherenceCalculator).
                break;
            }

            Candidate(due.Date.AddDays(input.ToleranceDays + 1));
            Candidate(due.Date.AddDays(1));
        }

        foreach (var session in input.Sessions)
        {
            if (session.Status == AdherenceSessionStatus.Completed)
            {
                Candidate(session.LocalDate);
            }
        }

        return first?.AddDays(-1);
    }

    /// <summary>The last completed session's clinic-local date on or before the report date (rule 1); null with none.</summary>
    public static DateOnly? LastSessionOn(AdherenceInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        DateOnly? last = null;
        foreach (var session in input.Sessions)
        {
            if (session.Status == AdherenceSessionStatus.Completed && session.LocalDate <= input.AsOf &&
                (last is null || session.LocalDate > last))
            {
                last = session.LocalDate;
            }
        }

        return last;
    }
}
