using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Core.Tests.Plans;

/// <summary>
/// Ending a plan (domain.md §4): completed and discontinued are final; the end cancels what has not started
/// treatment and leaves a session in progress to be finished. Plan: IV induction from Mon 2026-03-02 in
/// New York (due 02, 04, 06, 09, 11, 13), made 2026-02-20.
/// </summary>
public sealed class TreatmentPlanTests
{
    private static readonly DateTime Created = Utc(2026, 2, 20, 15);

    private static DateTime Utc(int y, int m, int d, int h, int min = 0) => new(y, m, d, h, min, 0, DateTimeKind.Utc);

    private static TreatmentPlan NewPlan() => TreatmentPlan.Create(Guid.NewGuid(), Site.DefaultId, Medication.Ketamine, AdministrationRoute.Intravenous, new DateOnly(2026, 3, 2), "America/New_York", 1,
        PlanTemplates.IvInduction, PlanTemplates.Phases(PlanTemplates.IvInduction, new DateOnly(2026, 3, 2))!, null, 0.5m,
        "dr.patel", Created);

    private static TreatmentSession Booked(TreatmentPlan plan, DateTime at) => TreatmentSession.Schedule(plan, at, "fd.jones", Created);

    [Fact]
    public void Complete_RecordsWhoAndTheClinicLocalDate_AndDropsLaterDueDates()
    {
        var plan = NewPlan();

        // 2026-03-10 03:00Z is 23:00 on Monday 9 March in New York (EDT, UTC−4): the local date is 03-09.
        Assert.Null(plan.Complete(Utc(2026, 3, 10, 3), "dr.patel", []));

        Assert.Equal(PlanStatus.Completed, plan.Status);
        Assert.Equal(new DateOnly(2026, 3, 9), plan.CompletedOn);
        Assert.Equal(Utc(2026, 3, 10, 3), plan.CompletedAt);
        Assert.Equal("dr.patel", plan.CompletedBy);
        Assert.Equal(new DateOnly(2026, 3, 9), plan.EndedOn);
        Assert.Equal(2, plan.Version);
        // Due dates after 03-09 (11 and 13) no longer count; 03-09 itself does.
        Assert.Equal(
            [new DateOnly(2026, 3, 2), new DateOnly(2026, 3, 4), new DateOnly(2026, 3, 6), new DateOnly(2026, 3, 9)],
            plan.DueDates().Select(d => d.Date));
    }

    [Fact]
    public void CompletedAndDiscontinued_AreFinal()
    {
        var completed = NewPlan();
        completed.Complete(Utc(2026, 3, 20, 15), "dr.patel", []);
        var discontinued = NewPlan();
        discontinued.Discontinue("moved away", Utc(2026, 3, 5, 15), "dr.patel", []);

        Assert.Equal("plan.not-active", completed.Complete(Utc(2026, 3, 21, 15), "dr.patel", [])?.Code);
        Assert.Equal("plan.not-active", completed.Discontinue("x", Utc(2026, 3, 21, 15), "dr.patel", [])?.Code);
        Assert.Equal("plan.not-active", discontinued.Complete(Utc(2026, 3, 21, 15), "dr.patel", [])?.Code);
        Assert.Equal((PlanStatus.Completed, 2), (completed.Status, completed.Version));
        Assert.Equal((PlanStatus.Discontinued, 2, (DateOnly?)null), (discontinued.Status, discontinued.Version, discontinued.CompletedOn));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void End_CancelsScheduledAndCheckedInSessionsAsTheClinic_AndLeavesTheRest(bool complete)
    {
        var plan = NewPlan();
        var futureBooking = Booked(plan, Utc(2026, 3, 13, 14));
        var forgottenBooking = Booked(plan, Utc(2026, 3, 4, 14));
        var checkedIn = Booked(plan, Utc(2026, 3, 9, 14));
        checkedIn.CheckIn(70m, WeightBasis.Actual, Utc(2026, 3, 9, 14), "nurse.kim");
        var inProgress = Booked(plan, Utc(2026, 3, 6, 14));
        inProgress.CheckIn(70m, WeightBasis.Actual, Utc(2026, 3, 6, 14), "nurse.kim");
        inProgress.AddDose(35_000, Utc(2026, 3, 6, 14, 10));
        var noShow = Booked(plan, Utc(2026, 3, 2, 14));
        noShow.MarkNoShow(Utc(2026, 3, 2, 15), "fd.jones");
        var ended = Utc(2026, 3, 10, 15);

        var refused = complete
            ? plan.Complete(ended, "dr.patel", [futureBooking, forgottenBooking, checkedIn, inProgress, noShow])
            : plan.Discontinue("side effects", ended, "dr.patel", [futureBooking, forgottenBooking, checkedIn, inProgress, noShow]);

        Assert.Null(refused);
        var reason = complete ? "plan completed" : "plan discontinued";
        foreach (var s in new[] { futureBooking, forgottenBooking, checkedIn })
        {
            Assert.Equal((SessionStatus.Cancelled, CancelledBy.Clinic, reason, ended, "dr.patel"),
                (s.Status, s.CancelledBy!.Value, s.EndReason!, s.EndedAt!.Value, s.EndedBy!));
        }

        Assert.Equal(SessionStatus.InProgress, inProgress.Status);
        Assert.Equal((SessionStatus.NoShow, (CancelledBy?)null), (noShow.Status, noShow.CancelledBy));
    }

    [Fact]
    public void End_BeforeTheStartOrBeforeACheckInOnRecord_IsRefusedAndChangesNothing()
    {
        var plan = NewPlan();
        var booking = Booked(plan, Utc(2026, 3, 13, 14));
        var visit = Booked(plan, Utc(2026, 3, 9, 14));
        visit.CheckIn(70m, WeightBasis.Actual, Utc(2026, 3, 9, 14), "nurse.kim");

        // Before the start date (03-01 local) and before the plan was made.
        var beforeStart = plan.Complete(Utc(2026, 2, 1, 15), "dr.patel", [booking, visit]);
        // After the start, but one minute before the 03-09 14:00Z check-in.
        var beforeCheckIn = plan.Discontinue("x", Utc(2026, 3, 9, 13, 59), "dr.patel", [booking, visit]);
        // Exactly at the check-in is not before it.
        var atCheckIn = NewPlanWithSameSessions(out var sessions).Complete(Utc(2026, 3, 9, 14), "dr.patel", sessions);

        Assert.Equal("plan.time-inconsistent", beforeStart?.Code);
        Assert.Equal("plan.time-inconsistent", beforeCheckIn?.Code);
        Assert.Contains(visit.Id.ToString(), beforeCheckIn!.Detail, StringComparison.Ordinal);
        Assert.Equal((PlanStatus.Active, 1), (plan.Status, plan.Version));
        Assert.Equal(SessionStatus.Scheduled, booking.Status);
        Assert.Equal(SessionStatus.CheckedIn, visit.Status);
        Assert.Null(atCheckIn);
    }

    private static TreatmentPlan NewPlanWithSameSessions(out TreatmentSession[] sessions)
    {
        var plan = NewPlan();
        var visit = Booked(plan, Utc(2026, 3, 9, 14));
        visit.CheckIn(70m, WeightBasis.Actual, Utc(2026, 3, 9, 14), "nurse.kim");
        sessions = [visit];
        return plan;
    }
}
