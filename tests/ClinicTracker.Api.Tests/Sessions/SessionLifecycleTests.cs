using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Sessions;

public sealed class SessionLifecycleTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    private async Task<(Guid PatientId, Guid SessionId)> ScheduledSession()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        return (patientId, await data.Session(patientId, planId));
    }

    [Fact]
    public async Task FullIvSession_ScheduledCheckedInInProgressCompleted()
    {
        var (_, sessionId) = await ScheduledSession();
        Assert.Equal("scheduled", (await data.SessionDetail(sessionId))["status"]!.GetValue<string>());

        await data.CheckIn(sessionId, 82.5m);
        var checkedIn = await data.SessionDetail(sessionId);
        Assert.Equal("checked-in", checkedIn["status"]!.GetValue<string>());
        Assert.Equal(82.5m, checkedIn["weightKg"]!.GetValue<decimal>());
        Assert.Equal("nurse.kim", checkedIn["checkedInBy"]!.GetValue<string>());

        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(41.25m)).EnsureStatus(HttpStatusCode.Created);
        Assert.Equal("in-progress", (await data.SessionDetail(sessionId))["status"]!.GetValue<string>());

        var completed = await data.CompleteWithMonitoring(sessionId);
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        // 41.25 mg at 82.5 kg = 0.5 mg/kg.
        Assert.Equal(0.5m, completed["doseSummary"]![0]!["mgPerKg"]!.GetValue<decimal>());
    }

    public static TheoryData<string, string> InvalidTransitionsFromScheduled => new()
    {
        { "complete", "{}" },
        { "hold", """{"reason":"BP 150/95"}""" },
    };

    [Theory]
    [MemberData(nameof(InvalidTransitionsFromScheduled))]
    public async Task InvalidTransition_Returns409WithCode(string action, string body)
    {
        var (_, sessionId) = await ScheduledSession();

        var response = await data.Prescriber.PostAsync($"/api/v1/sessions/{sessionId}/{action}", Http.Json(body));

        await response.AssertProblem(HttpStatusCode.Conflict, "session.invalid-transition");
        Assert.Equal("scheduled", (await data.SessionDetail(sessionId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task FinalStates_AcceptNoFurtherTransition()
    {
        var (_, noShow) = await ScheduledSession();
        await data.FrontDesk.PostAsync($"/api/v1/sessions/{noShow}/no-show", null).EnsureStatus(HttpStatusCode.OK);
        var (_, cancelled) = await ScheduledSession();
        await data.FrontDesk.PostAsJsonAsync($"/api/v1/sessions/{cancelled}/cancel", new { cancelledBy = "patient", reason = "unwell" })
            .EnsureStatus(HttpStatusCode.OK);
        var (_, held) = await ScheduledSession();
        await data.CheckIn(held);
        await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{held}/hold", new { reason = "BP 160/100 after 15 minutes rest" })
            .EnsureStatus(HttpStatusCode.OK);

        foreach (var sessionId in new[] { noShow, cancelled, held })
        {
            await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/check-in", new { weightKg = 70, weightBasis = "actual" }))
                .AssertProblem(HttpStatusCode.Conflict, "session.invalid-transition");
        }

        var cancelledDetail = await data.SessionDetail(cancelled);
        Assert.Equal("patient", cancelledDetail["cancelledBy"]!.GetValue<string>());
        Assert.Equal("held", (await data.SessionDetail(held))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task FrontDesk_MayCancelAndMarkNoShow_ButNotCheckIn()
    {
        var (_, sessionId) = await ScheduledSession();

        await (await data.FrontDesk.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/check-in", new { weightKg = 70, weightBasis = "actual" }))
            .AssertProblem(HttpStatusCode.Forbidden);
        await data.FrontDesk.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/cancel", new { cancelledBy = "clinic" }).EnsureStatus(HttpStatusCode.OK);
    }

    [Theory]
    [InlineData("""{"weightKg":29.99,"weightBasis":"actual"}""", "weightKg")]
    [InlineData("""{"weightKg":300.01,"weightBasis":"actual"}""", "weightKg")]
    [InlineData("""{"weightKg":70,"weightBasis":"estimated"}""", "weightBasis")]
    [InlineData("""{"weightKg":70}""", "weightBasis")]
    [InlineData("""{"weightKg":70,"weightBasis":"actual","at":"2026-11-26T14:05:00"}""", "at")]
    [InlineData("""{"weightKg":"70","weightBasis":"actual"}""", "weightKg")]
    public async Task CheckIn_InvalidInput_Returns400AndLeavesSessionScheduled(string json, string field)
    {
        var (_, sessionId) = await ScheduledSession();

        var response = await data.Nurse.PostAsync($"/api/v1/sessions/{sessionId}/check-in", Http.Json(json));

        await response.AssertValidationError(field);
        Assert.Equal("scheduled", (await data.SessionDetail(sessionId))["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(30, true)]
    [InlineData(300, true)]
    public async Task CheckIn_WeightAtPlausibleBounds_IsAccepted(decimal weightKg, bool accepted)
    {
        var (_, sessionId) = await ScheduledSession();

        var response = await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/check-in", new { weightKg, weightBasis = "ideal" });

        Assert.Equal(accepted, response.IsSuccessStatusCode);
    }

    [Fact]
    public async Task TransitionTimes_InTheFutureOrBeforeCheckIn_AreRefused()
    {
        var (_, sessionId) = await ScheduledSession();
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/check-in",
            new { weightKg = 70, weightBasis = "actual", at = DateTimeOffset.UtcNow.AddMinutes(30) })).AssertValidationError("at");
        await data.CheckIn(sessionId);
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);

        // The infusion ended 50 minutes after check-in; completing 20 minutes after check-in is inconsistent.
        var early = await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/complete", new { at = TreatmentData.CheckInTime.AddMinutes(20) });

        await early.AssertProblem(HttpStatusCode.UnprocessableEntity, "session.time-inconsistent");
        Assert.Equal("in-progress", (await data.SessionDetail(sessionId))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Schedule_ForAnotherPatientsPlan_Returns404()
    {
        var (_, _) = await ScheduledSession();
        var otherPatient = await data.Patient();
        var plan = await data.Plan(await data.Patient());

        var response = await data.FrontDesk.PostAsJsonAsync($"/api/v1/patients/{otherPatient}/sessions",
            new { planId = plan["id"], scheduledAt = DateTimeOffset.UtcNow.AddDays(1) });

        await response.AssertProblem(HttpStatusCode.NotFound);
    }
}
