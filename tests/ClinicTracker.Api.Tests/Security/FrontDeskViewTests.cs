using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Api.Tests.Outcomes;

namespace ClinicTracker.Api.Tests.Security;

/// <summary>
/// domain.md §9: the front desk works with demographics and scheduling and sees no clinical data. The routes
/// it may call answer it without the clinical parts; nurses, prescribers and integrators get them.
/// </summary>
public sealed class FrontDeskViewTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);
    private readonly HttpClient integrator = factory.ClientFor("ehr.feed", "integrator");

    [Fact]
    public async Task Patient_ShowsOpenSafetyFlagsOnlyToClinicalReaders()
    {
        var patientId = await data.Patient();
        await AssessmentData.Record(data.Nurse, patientId, "phq9", AssessmentData.Phq9(11, item9: 1), DateTimeOffset.UtcNow.AddDays(-1));
        var mrn = (await Read(data.Nurse, $"/api/v1/patients/{patientId}"))["mrn"]!.GetValue<string>();

        var atDesk = await Read(data.FrontDesk, $"/api/v1/patients/{patientId}");
        var found = Assert.Single((await Read(data.FrontDesk, $"/api/v1/patients?search={mrn}"))["items"]!.AsArray())!;

        Assert.Equal(mrn, atDesk["mrn"]!.GetValue<string>());
        Assert.Null(atDesk["openSafetyFlags"]);
        Assert.Null(found["openSafetyFlags"]);
        Assert.Equal(1, (await Read(data.Nurse, $"/api/v1/patients/{patientId}"))["openSafetyFlags"]!.GetValue<int>());
        Assert.Equal(1, (await Read(integrator, $"/api/v1/patients/{patientId}"))["openSafetyFlags"]!.GetValue<int>());
    }

    [Fact]
    public async Task SessionList_ForTheFrontDesk_HasStatusAndTimes_ButNoDoseSummaryWeightOrFlag()
    {
        var (patientId, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);

        var atDesk = Assert.Single((await Read(data.FrontDesk, $"/api/v1/patients/{patientId}/sessions"))["items"]!.AsArray())!;
        var clinical = Assert.Single((await Read(data.Nurse, $"/api/v1/patients/{patientId}/sessions"))["items"]!.AsArray())!;

        Assert.Equal(sessionId, atDesk["id"]!.GetValue<Guid>());
        Assert.Equal("in-progress", atDesk["status"]!.GetValue<string>());
        Assert.NotNull(atDesk["scheduledAt"]);
        Assert.NotNull(atDesk["checkedInAt"]);
        Assert.Null(atDesk["doseSummary"]);
        Assert.Null(atDesk["weightKg"]);
        Assert.Null(atDesk["flagged"]);
        Assert.Equal(35m, Assert.Single(clinical["doseSummary"]!.AsArray())!["totalMg"]!.GetValue<decimal>());
        Assert.Equal(70m, clinical["weightKg"]!.GetValue<decimal>());
        Assert.False(clinical["flagged"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Plan_ForTheFrontDesk_HasItsScheduleButNoTargetDose()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();

        var atDesk = await Read(data.FrontDesk, $"/api/v1/plans/{planId}");
        var listed = Assert.Single((await Read(data.FrontDesk, $"/api/v1/patients/{patientId}/plans"))["items"]!.AsArray())!;
        var schedule = await Read(data.FrontDesk, $"/api/v1/plans/{planId}/schedule");

        Assert.Equal("active", atDesk["status"]!.GetValue<string>());
        Assert.Equal("ketamine", atDesk["medication"]!.GetValue<string>());
        Assert.Null(atDesk["targetDoseMgPerKg"]);
        Assert.Null(listed["targetDoseMgPerKg"]);
        Assert.Equal(6, schedule["dueDates"]!.AsArray().Count);
        Assert.Equal(0.5m, (await Read(data.Nurse, $"/api/v1/plans/{planId}"))["targetDoseMgPerKg"]!.GetValue<decimal>());
        Assert.Equal(0.5m, (await Read(integrator, $"/api/v1/plans/{planId}"))["targetDoseMgPerKg"]!.GetValue<decimal>());
    }

    [Fact]
    public async Task DiscontinuedPlan_ForTheFrontDesk_ShowsTheStatusButNotTheClinicalReason()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        await data.Discontinue(planId, new { reason = "Hypertensive response at session 2" }).EnsureStatus(HttpStatusCode.OK);

        var atDesk = await Read(data.FrontDesk, $"/api/v1/plans/{planId}");

        Assert.Equal("discontinued", atDesk["status"]!.GetValue<string>());
        Assert.NotNull(atDesk["discontinuedOn"]);
        Assert.Null(atDesk["discontinuationReason"]);
        Assert.Equal("Hypertensive response at session 2",
            (await Read(data.Prescriber, $"/api/v1/plans/{planId}"))["discontinuationReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task CancellingACheckedInSession_AnswersTheFrontDeskWithoutWeightVitalsOrDoses()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);

        var cancelled = await (await data.FrontDesk.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/cancel",
            new { cancelledBy = "patient", reason = "Unwell today" }).EnsureStatus(HttpStatusCode.OK)).ReadObject();

        Assert.Equal("cancelled", cancelled["status"]!.GetValue<string>());
        Assert.Equal("patient", cancelled["cancelledBy"]!.GetValue<string>());
        foreach (var clinical in new[] { "weightKg", "weightBasis", "doseSummary", "doses", "waste", "observations", "adverseEvents", "monitoring", "endReason" })
        {
            Assert.True(cancelled[clinical] is null, $"{clinical} was shown to the front desk: {cancelled[clinical]?.ToJsonString()}");
        }

        // The nurse still reads the blood pressure taken before the cancellation.
        Assert.Single((await data.SessionDetail(sessionId))["observations"]!.AsArray());
    }

    [Fact]
    public async Task SchedulingASession_AnswersTheFrontDeskWithTheBookingOnly()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();

        var booked = await (await data.FrontDesk.PostAsJsonAsync($"/api/v1/patients/{patientId}/sessions",
            new { planId, scheduledAt = DateTimeOffset.UtcNow.AddDays(2) }).EnsureStatus(HttpStatusCode.Created)).ReadObject();

        Assert.Equal("scheduled", booked["status"]!.GetValue<string>());
        Assert.Null(booked["monitoring"]);
        Assert.Null(booked["doses"]);
    }

    private static async Task<JsonObject> Read(HttpClient client, string path) =>
        await (await client.GetAsync(path).EnsureStatus(HttpStatusCode.OK)).ReadObject();
}
