using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace ClinicTracker.Api.Tests.Doses;

/// <summary>
/// domain.md §3 (updated) and §4: the limits count every standing dose of the medication in the 24 hours
/// around the new one, in any session, and a patient has at most one session checked in or in progress.
/// These reproduce the clinical review's findings: a second session the same day got a second full dose.
/// </summary>
public sealed class DoseWindowTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    // Every visit here starts from this instant, well in the past so that a second visit the same day
    // still lies before now (no time may lie in the future).
    private static readonly DateTimeOffset Morning = DateTimeOffset.UtcNow.AddHours(-8);

    [Fact]
    public async Task SecondSessionOfThePatient_CannotBeCheckedInWhileTheFirstIsOpen()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var first = await data.Session(patientId, planId, Morning);
        var second = await data.Session(patientId, planId, Morning.AddMinutes(30));
        await data.CheckIn(first, 70m, Morning);

        var problem = await (await CheckIn(second, Morning.AddMinutes(20)))
            .AssertProblem(HttpStatusCode.Conflict, "session.patient-busy");

        Assert.Equal(first, problem["openSessionId"]!.GetValue<Guid>());
        Assert.Contains(first.ToString(), problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("scheduled", (await data.SessionDetail(second))["status"]!.GetValue<string>());

        // Once the first is closed (held, here) the second may be checked in.
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{first}/hold", new { reason = "BP 150/95 after rest", at = Morning.AddMinutes(25) })
            .EnsureStatus(HttpStatusCode.OK);
        await (await CheckIn(second, Morning.AddMinutes(30))).EnsureSuccess();
    }

    [Fact]
    public async Task TwoSessionsCheckedInAtOnce_OneWins_TheOtherIs409()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var sessions = new[] { await data.Session(patientId, planId, Morning), await data.Session(patientId, planId, Morning.AddMinutes(30)) };
        var nurses = new[] { factory.ClientFor("nurse.race1", "nurse"), factory.ClientFor("nurse.race2", "nurse") };

        var responses = await Task.WhenAll(sessions.Select((id, i) =>
            nurses[i].PostAsJsonAsync($"/api/v1/sessions/{id}/check-in", new { weightKg = 70m, weightBasis = "actual", at = Morning.AddMinutes(i) })));

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        await responses.Single(r => r.StatusCode == HttpStatusCode.Conflict).AssertProblem(HttpStatusCode.Conflict, "session.patient-busy");
    }

    [Fact]
    public async Task TheDatabaseItself_HoldsOneOpenSessionPerPatient()
    {
        // The unique partial index behind the rule: a second open session written around the API is refused.
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var first = await data.Session(patientId, planId, Morning);
        var second = await data.Session(patientId, planId, Morning.AddMinutes(30));
        await data.CheckIn(first, 70m, Morning);

        using var scope = factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicTracker.Core.Data.ClinicDbContext>();
        // Around the API, as the system: a context sees no patient until it is scoped (ADR 0015).
        db.ScopeTo(ClinicTracker.Core.Sites.SiteScope.Everything);
        var row = await db.Sessions.SingleAsync(s => s.Id == second);
        Assert.Null(row.CheckIn(70m, ClinicTracker.Core.Sessions.WeightBasis.Actual, Morning.UtcDateTime.AddMinutes(20), "nurse.kim"));

        var refused = await Assert.ThrowsAsync<Microsoft.EntityFrameworkCore.DbUpdateException>(() => db.SaveChangesAsync());
        Assert.True(ClinicTracker.Api.Common.DbErrors.IsUniqueViolation(refused));
    }

    [Fact]
    public async Task SecondSessionTheSameDay_CountsTheFirstSessionsDose_AgainstTheHardLimit()
    {
        var (patientId, planId) = await PatientWithIvPlan();
        var firstDose = await CompletedIvVisit(patientId, planId, Morning, 52.5m);

        // 70 kg: 52.5 + 52.5 = 105 mg = 1.5 mg/kg > the 1.0 mg/kg hard limit (70 mg), wherever the first 52.5 mg was given.
        var second = await CheckedInVisit(patientId, planId, Morning.AddMinutes(90));
        var response = await data.Dose(data.Prescriber, second, TreatmentData.IvAt(Morning.AddMinutes(100), 52.5m));

        var problem = await response.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");
        Assert.Equal(105m, problem["totalMg"]!.GetValue<decimal>());
        Assert.Equal(1.5m, problem["mgPerKg"]!.GetValue<decimal>());
        var counted = Assert.Single(problem["countedDoses"]!.AsArray());
        Assert.Equal(firstDose, counted!["id"]!.GetValue<Guid>());
        Assert.Equal(52.5m, counted["amountMg"]!.GetValue<decimal>());
        Assert.Empty((await data.SessionDetail(second))["doses"]!.AsArray());
    }

    [Fact]
    public async Task SplittingTheUsualDoseOverTwoSessions_RaisesTheSoftLimit()
    {
        var (patientId, planId) = await PatientWithIvPlan();
        var firstDose = await CompletedIvVisit(patientId, planId, Morning, 35m);

        // 35 + 35 = 70 mg = 1.0 mg/kg: not above the hard limit, but above the usual 0.75 mg/kg (52.5 mg).
        var second = await CheckedInVisit(patientId, planId, Morning.AddMinutes(90));
        var problem = await (await data.Dose(data.Nurse, second, TreatmentData.IvAt(Morning.AddMinutes(100), 35m)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit");

        Assert.Equal(70m, problem["totalMg"]!.GetValue<decimal>());
        Assert.Contains(problem["warnings"]!.AsArray(), w => w!["code"]!.GetValue<string>() == "iv.above-usual-mg-per-kg");
        Assert.Equal(firstDose, Assert.Single(problem["countedDoses"]!.AsArray())!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task ADoseRecordedLaterForAnEarlierTime_CountsTheDoseGivenAfterIt()
    {
        // Paper downtime: the afternoon visit (52.5 mg) is in the record; the morning visit is entered afterwards.
        // The 24 hours ending at the afternoon dose would then hold 105 mg, so the morning entry is refused.
        var (patientId, planId) = await PatientWithIvPlan();
        var afternoonDose = await CompletedIvVisit(patientId, planId, Morning.AddMinutes(180), 52.5m);

        var morning = await CheckedInVisit(patientId, planId, Morning);
        var problem = await (await data.Dose(data.Prescriber, morning, TreatmentData.IvAt(Morning.AddMinutes(10), 52.5m)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");

        Assert.Equal(105m, problem["totalMg"]!.GetValue<decimal>());
        Assert.Equal(afternoonDose, Assert.Single(problem["countedDoses"]!.AsArray())!["id"]!.GetValue<Guid>());
    }

    [Fact]
    public async Task DosesMoreThan24HoursApart_AreNotCounted_AndVoidedDosesNeverAre()
    {
        var (patientId, planId) = await PatientWithIvPlan();
        // Yesterday's 52.5 mg started 26 h 30 min before today's dose (−25 h + 10 min vs +100 min): outside the window.
        await CompletedIvVisit(patientId, planId, Morning.AddHours(-25), 52.5m);
        // This morning's 52.5 mg, voided: entered in error, it counts toward nothing.
        var voided = await CompletedIvVisit(patientId, planId, Morning, 52.5m);
        await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{voided}/void", new { reason = "Recorded on the wrong patient" })
            .EnsureStatus(HttpStatusCode.OK);

        var today = await CheckedInVisit(patientId, planId, Morning.AddMinutes(90));
        var dose = await (await data.Dose(data.Nurse, today, TreatmentData.IvAt(Morning.AddMinutes(100), 52.5m))).EnsureSuccessObject();

        Assert.Equal(0.75m, dose["mgPerKg"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task Esketamine_SecondSessionTheSameDay_CountsTheFirstTowardThe84mgLimit()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId, "esketamine", "intranasal", "esketamine-standard"))["id"]!.GetValue<Guid>();
        var first = await CheckedInVisit(patientId, planId, Morning.AddHours(-4));
        await data.Dose(data.Nurse, first, TreatmentData.EsketamineAt(Morning.AddHours(-4).AddMinutes(10), 2)).EnsureStatus(HttpStatusCode.Created);
        await data.CompleteWithMonitoring(first, 135, Morning.AddHours(-4));

        // 56 mg this morning + 56 mg now = 112 mg > 84 mg (Spravato label: sessions are 56 or 84 mg).
        var second = await CheckedInVisit(patientId, planId, Morning);
        var problem = await (await data.Dose(data.Prescriber, second, TreatmentData.EsketamineAt(Morning.AddMinutes(10), 2)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");

        Assert.Equal(112m, problem["totalMg"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task AReplacementOnAFinishedVisit_RacingADoseOnTheOpenVisit_CannotBothStand()
    {
        // ADR 0011/0013: the two doses are in different sessions, so nothing but a lock on the patient stops two
        // transactions from each reading the 24 hours before the other's dose is there. 70 kg: 52.5 + 52.5 mg =
        // 1.5 mg/kg > the 1.0 mg/kg hard limit, so exactly one of the two may stand. Several rounds, since a
        // race lost without the lock depends on timing.
        for (var round = 0; round < 6; round++)
        {
            var (patientId, planId) = await PatientWithIvPlan();
            var voided = await CompletedIvVisit(patientId, planId, Morning, 52.5m);
            var finished = (await (await data.Nurse.GetAsync($"/api/v1/doses/{voided}")).ReadObject())["sessionId"]!.GetValue<Guid>();
            await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{voided}/void", new { reason = "Amount entered wrongly" })
                .EnsureStatus(HttpStatusCode.OK);
            var open = await CheckedInVisit(patientId, planId, Morning.AddMinutes(90));
            var replacement = new
            {
                medication = "ketamine", route = "intravenous", amountMg = 52.5m, lotNumber = "KET-2026-001",
                infusionStartedAt = Morning.AddMinutes(10), infusionEndedAt = Morning.AddMinutes(50), replacesDoseId = voided,
            };

            var responses = await Task.WhenAll(
                data.Dose(data.Prescriber, finished, replacement),
                data.Dose(factory.ClientFor("dr.race", "prescriber"), open, TreatmentData.IvAt(Morning.AddMinutes(100), 52.5m)));

            Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.Created));
            await responses.Single(r => r.StatusCode != HttpStatusCode.Created).AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");
        }
    }

    private async Task<(Guid PatientId, Guid PlanId)> PatientWithIvPlan()
    {
        var patientId = await data.Patient();
        return (patientId, (await data.Plan(patientId))["id"]!.GetValue<Guid>());
    }

    private Task<HttpResponseMessage> CheckIn(Guid sessionId, DateTimeOffset at) =>
        data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/check-in", new { weightKg = 70m, weightBasis = "actual", at });

    /// <summary>A session scheduled and checked in at <paramref name="at"/> (70 kg), with its pre-dose BP at +5 min.</summary>
    private async Task<Guid> CheckedInVisit(Guid patientId, Guid planId, DateTimeOffset at)
    {
        var id = await data.Session(patientId, planId, at);
        await data.CheckIn(id, 70m, at);
        return id;
    }

    /// <summary>A whole IV visit from <paramref name="at"/>: infusion +10…+50 min, BPs, completed at +60. Returns the dose id.</summary>
    private async Task<Guid> CompletedIvVisit(Guid patientId, Guid planId, DateTimeOffset at, decimal amountMg)
    {
        var id = await CheckedInVisit(patientId, planId, at);
        var dose = await (await data.Dose(data.Prescriber, id, TreatmentData.IvAt(at.AddMinutes(10), amountMg))).EnsureSuccessObject();
        await data.CompleteWithMonitoring(id, 60, at);
        return dose["id"]!.GetValue<Guid>();
    }
}
