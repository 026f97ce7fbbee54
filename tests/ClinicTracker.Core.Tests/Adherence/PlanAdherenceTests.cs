using ClinicTracker.Core.Adherence;
using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Core.Tests.Adherence;

/// <summary>
/// A stored plan and its session rows turned into the calculator's input (domain.md §10). Plan: IV induction
/// from Mon 2026-03-02 in New York, tolerance 1: due 02, 04, 06, 09, 11, 13 with windows [d − 1, d + 1].
/// March 2026 in New York is EST (UTC−5) until Sunday 03-08, EDT (UTC−4) from then on.
/// </summary>
public sealed class PlanAdherenceTests
{
    private static DateTime Utc(int d, int h, int min = 0) => new(2026, 3, d, h, min, 0, DateTimeKind.Utc);

    private static TreatmentPlan NewPlan() => TreatmentPlan.Create(Guid.NewGuid(), Site.DefaultId, Medication.Ketamine, AdministrationRoute.Intravenous, new DateOnly(2026, 3, 2), "America/New_York", 1,
        PlanTemplates.IvInduction, PlanTemplates.Phases(PlanTemplates.IvInduction, new DateOnly(2026, 3, 2))!, null, 0.5m,
        "dr.patel", new DateTime(2026, 2, 20, 15, 0, 0, DateTimeKind.Utc));

    private static AdherenceSessionRow Completed(TreatmentPlan plan, DateTime checkedIn) =>
        new(Guid.NewGuid(), plan.Id, SessionStatus.Completed, null, checkedIn.AddMinutes(-30), checkedIn);

    [Fact]
    public void CompletedPlan_DueDatesAfterTheCompletionDateAreLeftOut_LikeADiscontinuation()
    {
        // Completed 2026-03-07 20:00Z = 15:00 on Saturday 03-07 in New York (EST): completedOn 03-07.
        // Kept: 03-02, 03-04, 03-06 (≤ 03-07); 03-09, 03-11, 03-13 are after it and dropped.
        // Visits checked in 03-02 and 03-04 at 14:00Z (09:00 local). As of 03-20:
        // 03-02 [01..03] on time; 03-04 [03..05] on time; 03-06 [05..07]: none, late (07, 08 = the next window's
        // opening, although 03-09 itself is dropped): none; 07 < 20 → missed, nothing booked → not-scheduled.
        // Due 3 = 2 + 0 + 1; rates 2/3 = 0.6667. Next due: none left. Induction cut short → not complete.
        var plan = NewPlan();
        Assert.Null(plan.Complete(Utc(7, 20), "dr.patel", []));
        var sessions = new[] { Completed(plan, Utc(2, 14)), Completed(plan, Utc(4, 14)) };

        var input = PlanAdherence.Input(plan, sessions, new DateOnly(2026, 3, 20), 60);
        var report = AdherenceCalculator.Calculate(input);

        Assert.Equal(new DateOnly(2026, 3, 7), input.EndedOn);
        Assert.Equal(6, input.DueDates.Count);
        Assert.Equal(
            [(new DateOnly(2026, 3, 2), DueDateStatus.OnTime), (new DateOnly(2026, 3, 4), DueDateStatus.OnTime),
                (new DateOnly(2026, 3, 6), DueDateStatus.Missed)],
            report.DueDates.Select(d => (d.DueDate, d.Status)));
        Assert.Equal(MissedReason.NotScheduled, report.DueDates[2].MissedReason);
        Assert.Equal((3, 2, 0, 1), (report.Due, report.OnTime, report.Late, report.Missed));
        Assert.Equal(0.6667m, report.AdherenceRate);
        Assert.Null(report.NextDueDate);
        Assert.False(report.InductionComplete);
    }

    [Fact]
    public void SameDayAcrossTheEndOfDaylightSaving_TheLaterInstantExplainsTheMiss()
    {
        // Plan from Sun 2026-11-01 (one due date, every 7 days), tolerance 1: window 10-31..11-02. New York leaves
        // EDT at 02:00 that night and repeats 01:00–02:00 as EST. Booking A: 05:30Z = 01:30 EDT, a no-show.
        // Booking B: 06:10Z = 01:10 EST, cancelled by the patient. Both are dated 11-01. By the wall clock A
        // (01:30) looks later than B (01:10); by the instant B is 40 minutes later, so B explains the miss.
        // As of 11-05 the window is closed: missed, cancelled-by-patient.
        var plan = TreatmentPlan.Create(Guid.NewGuid(), Site.DefaultId, Medication.Ketamine, AdministrationRoute.Intravenous, new DateOnly(2026, 11, 1), "America/New_York", 1,
            null, [new PlanPhase("induction", 1, 7, null)], null, 0.5m, "dr.patel", new DateTime(2026, 10, 20, 15, 0, 0, DateTimeKind.Utc));
        AdherenceSessionRow[] rows =
        [
            new(Guid.NewGuid(), plan.Id, SessionStatus.NoShow, null, new DateTime(2026, 11, 1, 5, 30, 0, DateTimeKind.Utc), null),
            new(Guid.NewGuid(), plan.Id, SessionStatus.Cancelled, CancelledBy.Patient, new DateTime(2026, 11, 1, 6, 10, 0, DateTimeKind.Utc), null),
        ];

        var input = PlanAdherence.Input(plan, rows, new DateOnly(2026, 11, 5), 60);
        var report = AdherenceCalculator.Calculate(input);

        Assert.All(input.Sessions, s => Assert.Equal(new DateOnly(2026, 11, 1), s.LocalDate));
        Assert.Equal(MissedReason.CancelledByPatient, Assert.Single(report.DueDates).MissedReason);
    }

    [Fact]
    public void OpenSessions_AreStatusOpen_AndKeepTheirBookedInstant()
    {
        // Scheduled, checked in and in progress all collapse to Open (not closed yet); a cancellation without a
        // recorded canceller counts as by the clinic. Booked 2026-03-09 14:00Z = 10:00 EDT → dated 03-09.
        var plan = NewPlan();
        var at = Utc(9, 14);
        var statuses = new[] { SessionStatus.Scheduled, SessionStatus.CheckedIn, SessionStatus.InProgress, SessionStatus.Cancelled };

        var sessions = statuses
            .Select(s => PlanAdherence.Session(new AdherenceSessionRow(Guid.NewGuid(), plan.Id, s, null, at, null), TimeZoneInfo.FindSystemTimeZoneById("America/New_York")))
            .ToList();

        Assert.Equal(
            [AdherenceSessionStatus.Open, AdherenceSessionStatus.Open, AdherenceSessionStatus.Open, AdherenceSessionStatus.CancelledByClinic],
            sessions.Select(s => s.Status));
        Assert.All(sessions, s => Assert.Equal((new DateOnly(2026, 3, 9), at), (s.LocalDate, s.ScheduledAt)));
    }

    [Fact]
    public void ActivePlan_HasNoEnd()
    {
        var plan = NewPlan();

        var input = PlanAdherence.Input(plan, [], new DateOnly(2026, 3, 20), 60);

        Assert.Null(input.EndedOn);
        Assert.Null(plan.EndedOn);
    }
}
