using ClinicTracker.Core.Common;

namespace ClinicTracker.Core.Dosing;

/// <summary>A standing dose of the patient that a limit check counted (ids, amount and time only).</summary>
public sealed record CountedDose(Guid Id, Guid SessionId, long AmountUg, DateTime AdministeredAt)
{
    public decimal AmountMg => Amounts.ToMg(AmountUg);
}

/// <summary>The doses a new dose is judged with, and their total before it.</summary>
/// <param name="PriorUg">Sum of <paramref name="Counted"/>, micrograms.</param>
/// <param name="Counted">The other standing doses in the window, in time order.</param>
public sealed record DoseWindowTotal(long PriorUg, IReadOnlyList<CountedDose> Counted)
{
    public decimal PriorMg => Amounts.ToMg(PriorUg);
}

/// <summary>
/// domain.md §3: limits apply to the patient's total of a medication over the 24 hours ending at the new
/// dose, in any session, so that splitting a dose or a second session the same day cannot get around them.
/// </summary>
/// <remarks>
/// A dose counts at its administration instant (an infusion at its start). A window is (end − 24 h, end]:
/// a dose given exactly 24 hours earlier is outside it. Clinics also enter doses after the fact (api-outline:
/// paper downtime), so a new dose may lie BEFORE doses already recorded; then the 24 hours ending at each of
/// those later doses would also hold the new one. The dose is therefore judged with the heaviest 24-hour
/// window that contains it: the windows ending at the new dose and at each recorded dose less than 24 hours
/// after it. When the new dose is the latest (the usual case) that is exactly the 24 hours ending at it.
/// </remarks>
public static class DoseWindow
{
    /// <summary>domain.md §3: the limits' period.</summary>
    public static readonly TimeSpan Length = TimeSpan.FromHours(24);

    /// <summary>The earliest and latest instants a dose must lie within (exclusive) to share a window with one at <paramref name="at"/>.</summary>
    public static (DateTime After, DateTime Before) Around(DateTime at) => (at - Length, at + Length);

    /// <param name="others">The patient's other standing doses of the medication (any order; those outside ±24 h are ignored).</param>
    /// <param name="at">When the new dose is given.</param>
    public static DoseWindowTotal Heaviest(IReadOnlyList<CountedDose> others, DateTime at)
    {
        ArgumentNullException.ThrowIfNull(others);

        var (after, before) = Around(at);
        var near = others.Where(d => d.AdministeredAt > after && d.AdministeredAt < before)
            .OrderBy(d => d.AdministeredAt).ThenBy(d => d.Id).ToList();
        // Candidate window ends: the new dose itself, then each recorded dose after it (and less than 24 h later).
        var ends = near.Where(d => d.AdministeredAt > at).Select(d => d.AdministeredAt).Prepend(at).Distinct();

        DoseWindowTotal? heaviest = null;
        foreach (var end in ends)
        {
            var counted = near.Where(d => d.AdministeredAt > end - Length && d.AdministeredAt <= end).ToList();
            var total = counted.Sum(d => d.AmountUg);
            // Strictly heavier only: among equal totals the window ending at the new dose (the first) is named.
            if (heaviest is null || total > heaviest.PriorUg)
            {
                heaviest = new DoseWindowTotal(total, counted);
            }
        }

        return heaviest!;
    }
}
