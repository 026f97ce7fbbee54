using ClinicTracker.Core.Dosing;
using ClinicTracker.Core.Plans;
using ClinicTracker.Core.Sessions;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Core.Tests.Sessions;

/// <summary>The session's dose summary and first dose time follow its standing doses through corrections.</summary>
public sealed class SessionDoseSummaryTests
{
    private static readonly DateTime T0 = new(2026, 3, 2, 14, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void VoidingTheEarliestDose_MovesFirstDoseAt_AndTheTotalDropsByItsAmount()
    {
        var session = CheckedIn();
        session.AddDose(20_000, T0.AddMinutes(10));
        session.AddDose(15_000, T0.AddMinutes(45));

        // The 10-minute dose is voided; the 45-minute one is the earliest still standing.
        session.RemoveDose(20_000, earliestStandingDoseAt: T0.AddMinutes(45));

        Assert.Equal(T0.AddMinutes(45), session.FirstDoseAt);
        Assert.Equal(15m, session.DoseTotalMg);
        Assert.Equal(1, session.DoseCount);
    }

    [Fact]
    public void VoidingTheOnlyDose_ClearsFirstDoseAt_AndTheSessionStaysInProgress()
    {
        var session = CheckedIn();
        session.AddDose(35_000, T0.AddMinutes(10));

        session.RemoveDose(35_000, earliestStandingDoseAt: null);

        Assert.Null(session.FirstDoseAt);
        Assert.Equal(0, session.DoseCount);
        Assert.Equal(SessionStatus.InProgress, session.Status);
    }

    [Fact]
    public void AReplacementEarlierThanTheFirstDose_BecomesTheFirstDose()
    {
        var session = CheckedIn();
        session.AddDose(35_000, T0.AddMinutes(20));

        session.AddDose(35_000, T0.AddMinutes(12));

        Assert.Equal(T0.AddMinutes(12), session.FirstDoseAt);
    }

    private static TreatmentSession CheckedIn()
    {
        var plan = TreatmentPlan.Create(Guid.NewGuid(), Site.DefaultId, Medication.Ketamine, AdministrationRoute.Intravenous, new DateOnly(2026, 3, 2),
            "America/New_York", 1, "iv-induction", PlanTemplates.Phases("iv-induction", new DateOnly(2026, 3, 2))!, null, 0.5m, "dr.test", T0);
        var session = TreatmentSession.Schedule(plan, T0, "fd.test", T0.AddDays(-1));
        Assert.Null(session.CheckIn(70m, WeightBasis.Actual, T0, "nurse.test"));
        return session;
    }
}
