using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Plans;

namespace ClinicTracker.Core.Webhooks;

/// <summary>The due windows of a plan that closed unattended (domain.md §10), as <c>session.missed</c> events report them.</summary>
public static class MissedWindows
{
    /// <summary>
    /// The missed due dates of <paramref name="report"/> whose window closed on or after the clinic-local date
    /// <paramref name="closedOnOrAfter"/> (older misses are history, not news). A window [d − t, d + t] closes when the
    /// clinic's day d + t ends (rule 1: it counts once d + t &lt; D). The session named is the one whose outcome gave the
    /// reason (rule 4: the latest by scheduled time not completed in the window); none for <c>not-scheduled</c>.
    /// </summary>
    public static IReadOnlyList<MissedWindow> Find(
        TreatmentPlan plan, AdherenceInput input, AdherenceReport report, TimeZoneInfo zone, DateOnly closedOnOrAfter)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(report);
        var found = new List<MissedWindow>();
        foreach (var due in report.DueDates)
        {
            var closedOn = due.WindowEnd.AddDays(1);
            if (due.Status != DueDateStatus.Missed || closedOn < closedOnOrAfter)
            {
                continue;
            }

            var session = input.Sessions
                .Where(s => s.Status != AdherenceSessionStatus.Completed && s.LocalDate >= due.WindowStart && s.LocalDate <= due.WindowEnd)
                .MaxBy(s => s.ScheduledAt);
            found.Add(new MissedWindow(plan.Id, plan.PatientId, plan.SiteId, due.DueDate, due.WindowStart, due.WindowEnd,
                ClinicTime.StartOfDayUtc(closedOn, zone), due.MissedReason ?? MissedReason.NotScheduled, session?.Id));
        }

        return found;
    }
}
