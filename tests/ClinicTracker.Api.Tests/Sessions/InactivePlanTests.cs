using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Sessions;

/// <summary>domain.md §4: only an active plan takes check-ins and doses; a session already in progress may be finished.</summary>
public sealed class InactivePlanTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task DiscontinuedPlan_TakesNoCheckIn()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var sessionId = await data.Session(patientId, planId);
        await data.Discontinue(planId, new { reason = "Patient moved away" }).EnsureStatus(HttpStatusCode.OK);

        var problem = await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/check-in",
                new { weightKg = 70m, weightBasis = "actual", at = TreatmentData.CheckInTime }))
            .AssertProblem(HttpStatusCode.Conflict, "plan.not-active");

        Assert.Contains(planId.ToString(), problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null((await data.SessionDetail(sessionId))["checkedInAt"]);
    }

    [Fact]
    public async Task SessionInProgressWhenThePlanIsDiscontinued_TakesNoFurtherDose_ButMayBeCompleted()
    {
        var (_, planId, sessionId) = await data.CheckedInSession(weightKg: 70m);
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(20m, minutes: 40)).EnsureStatus(HttpStatusCode.Created);
        await data.Discontinue(planId, new { reason = "Dissociation too distressing" }).EnsureStatus(HttpStatusCode.OK);

        await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(15m, minutes: 30, startMinutesAfterCheckIn: 55)))
            .AssertProblem(HttpStatusCode.Conflict, "plan.not-active");

        var completed = await data.CompleteWithMonitoring(sessionId);
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
        Assert.Equal(20m, completed["doseSummary"]![0]!["totalMg"]!.GetValue<decimal>());
    }
}
