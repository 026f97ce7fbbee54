using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Plans;

public sealed class PlanEndpointsTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task Create_IvInductionTemplate_YieldsSixMonWedFriDueDatesWithWindows()
    {
        var patientId = await data.Patient();

        // 2026-03-02 is a Monday: Mon 2, Wed 4, Fri 6, Mon 9, Wed 11, Fri 13 (Zheng 2019: 6 infusions over 12 days).
        var plan = await data.Plan(patientId, startDate: "2026-03-02");
        Assert.Equal("active", plan["status"]!.GetValue<string>());
        Assert.Equal(1, plan["toleranceDays"]!.GetValue<int>());
        var schedule = await (await data.Nurse.GetAsync($"/api/v1/plans/{plan["id"]}/schedule")).ReadObject();

        var dates = schedule["dueDates"]!.AsArray();
        Assert.Equal(["2026-03-02", "2026-03-04", "2026-03-06", "2026-03-09", "2026-03-11", "2026-03-13"],
            dates.Select(d => d!["date"]!.GetValue<string>()));
        Assert.Equal("2026-03-01", dates[0]!["windowStart"]!.GetValue<string>());
        Assert.Equal("2026-03-03", dates[0]!["windowEnd"]!.GetValue<string>());
        Assert.Equal("induction", dates[0]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task Create_ExplicitPhases_FollowEachOther()
    {
        var patientId = await data.Patient();
        var body = new
        {
            medication = "ketamine",
            route = "oral",
            startDate = "2026-01-05",
            timeZone = "Europe/London",
            toleranceDays = 2,
            phases = new object[]
            {
                new { name = "induction", sessions = 2, weekdays = new[] { "monday", "thursday" } },
                new { name = "maintenance", sessions = 2, everyDays = 14 },
            },
            targetDoseMg = 150m,
        };

        var response = await data.Prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", body);

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var schedule = await (await data.Nurse.GetAsync($"{response.Headers.Location}/schedule")).ReadObject();
        // Induction block: Mon 5, Thu 8 → one whole week; maintenance starts Mon 12, then +14 → 26.
        Assert.Equal(["2026-01-05", "2026-01-08", "2026-01-12", "2026-01-26"],
            schedule["dueDates"]!.AsArray().Select(d => d!["date"]!.GetValue<string>()));
        Assert.Equal("2026-01-03", schedule["dueDates"]![0]!["windowStart"]!.GetValue<string>());
    }

    public static TheoryData<string, string> InvalidPlans => new()
    {
        { """{"medication":"esketamine","route":"intravenous","startDate":"2026-03-02","timeZone":"UTC","template":"iv-induction","targetDoseMg":56}""", "route" },
        { """{"medication":"ketamine","route":"rectal","startDate":"2026-03-02","timeZone":"UTC","template":"iv-induction","targetDoseMgPerKg":0.5}""", "route" },
        { """{"medication":"ketamine","route":"intravenous","startDate":"2026-03-02","timeZone":"Mars/Olympus","template":"iv-induction","targetDoseMgPerKg":0.5}""", "timeZone" },
        { """{"medication":"ketamine","route":"intravenous","startDate":"2026-03-02","timeZone":"UTC","template":"weekly-forever","targetDoseMgPerKg":0.5}""", "template" },
        { """{"medication":"ketamine","route":"intravenous","startDate":"2026-03-02","timeZone":"UTC","targetDoseMgPerKg":0.5}""", "template" },
        { """{"medication":"ketamine","route":"intravenous","startDate":"2026-03-02","timeZone":"UTC","template":"iv-induction","phases":[{"name":"a","sessions":1,"everyDays":7}],"targetDoseMgPerKg":0.5}""", "template" },
        { """{"medication":"ketamine","route":"intravenous","startDate":"2026-03-02","timeZone":"UTC","phases":[{"name":"a","sessions":1,"everyDays":7,"weekdays":["monday"]}],"targetDoseMgPerKg":0.5}""", "phases" },
        { """{"medication":"ketamine","route":"intravenous","startDate":"2026-03-02","timeZone":"UTC","phases":[{"name":"a","sessions":0,"everyDays":7}],"targetDoseMgPerKg":0.5}""", "phases[0].sessions" },
        { """{"medication":"ketamine","route":"intravenous","startDate":"2026-03-02","timeZone":"UTC","template":"iv-induction"}""", "targetDoseMg" },
        { """{"medication":"ketamine","route":"intravenous","startDate":"2026-03-02","timeZone":"UTC","template":"iv-induction","targetDoseMgPerKg":0.5,"toleranceDays":8}""", "toleranceDays" },
    };

    [Theory]
    [MemberData(nameof(InvalidPlans))]
    public async Task Create_Invalid_Returns400NamingTheField(string json, string field)
    {
        var patientId = await data.Patient();

        var response = await data.Prescriber.PostAsync($"/api/v1/patients/{patientId}/plans", Http.Json(json));

        await response.AssertValidationError(field);
        var plans = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/plans")).ReadObject();
        Assert.Empty(plans["items"]!.AsArray());
    }

    [Fact]
    public async Task Create_ByNurse_Returns403_AndForArchivedPatient_Returns409()
    {
        var patientId = await data.Patient();
        var body = new { medication = "ketamine", route = "intravenous", startDate = "2026-03-02", timeZone = "UTC", template = "iv-induction", targetDoseMgPerKg = 0.5 };

        await (await data.Nurse.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", body)).AssertProblem(HttpStatusCode.Forbidden);
        await data.FrontDesk.PostAsync($"/api/v1/patients/{patientId}/archive", null).EnsureStatus(HttpStatusCode.OK);
        await (await data.Prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", body)).AssertProblem(HttpStatusCode.Conflict, "patient.archived");
        await (await data.Prescriber.PostAsJsonAsync($"/api/v1/patients/{Guid.NewGuid()}/plans", body)).AssertProblem(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Discontinue_DropsLaterDueDates_AndCannotBeRepeated()
    {
        var patientId = await data.Patient();
        var plan = await data.Plan(patientId, startDate: "2026-03-02", timeZone: "America/New_York");
        var planId = plan["id"]!.GetValue<Guid>();

        // 2026-03-05 15:00Z is 10:00 on Thursday 5 March in New York: due dates up to Wed 4 remain.
        await (await data.Discontinue(planId, new { reason = "Patient moved away." }, ifMatch: null))
            .AssertProblem(HttpStatusCode.PreconditionRequired, "precondition.required");
        await (await data.Discontinue(planId, new { reason = "Patient moved away." }, ifMatch: "\"7\""))
            .AssertProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");
        var response = await data.Discontinue(planId, new { reason = "Patient moved away.", at = "2026-03-05T15:00:00Z" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.ReadObject();
        Assert.Equal("discontinued", body["status"]!.GetValue<string>());
        Assert.Equal("2026-03-05", body["discontinuedOn"]!.GetValue<string>());
        var schedule = await (await data.Nurse.GetAsync($"/api/v1/plans/{planId}/schedule")).ReadObject();
        Assert.Equal(["2026-03-02", "2026-03-04"], schedule["dueDates"]!.AsArray().Select(d => d!["date"]!.GetValue<string>()));
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        await (await data.Discontinue(planId, new { reason = "again" }, "\"2\""))
            .AssertProblem(HttpStatusCode.Conflict, "plan.not-active");
        await (await data.FrontDesk.PostAsJsonAsync($"/api/v1/patients/{patientId}/sessions", new { planId, scheduledAt = "2026-03-09T14:00:00Z" }))
            .AssertProblem(HttpStatusCode.Conflict, "plan.not-active");
    }

    [Fact]
    public async Task Discontinue_InTheFuture_Returns400()
    {
        var plan = await data.Plan(await data.Patient());

        var response = await data.Discontinue(plan["id"]!.GetValue<Guid>(), new { reason = "x", at = DateTimeOffset.UtcNow.AddDays(1) });

        await response.AssertValidationError("at");
    }
}
