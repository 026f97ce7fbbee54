using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Plans;

/// <summary>
/// Completing and discontinuing plans (domain.md §4): a completed plan is final; ending a plan cancels its
/// bookings as the clinic, while a session already in progress may be finished.
/// </summary>
public sealed class PlanLifecycleTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    private Task<HttpResponseMessage> Complete(Guid planId, object? body, string? ifMatch = "\"1\"", HttpClient? client = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/v1/plans/{planId}/complete")
        {
            Content = body is null ? null : JsonContent.Create(body),
        };
        if (ifMatch is not null)
        {
            request.Headers.IfMatch.Add(new EntityTagHeaderValue(ifMatch));
        }

        return (client ?? data.Prescriber).SendAsync(request);
    }

    private static DateTimeOffset Instant(JsonNode? node) =>
        DateTimeOffset.Parse(node!.GetValue<string>(), CultureInfo.InvariantCulture);

    [Fact]
    public async Task Complete_NeedsIfMatch_RecordsWhoAndWhen_AndIsFinal()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId, startDate: "2026-03-02"))["id"]!.GetValue<Guid>();

        await (await Complete(planId, new { }, ifMatch: null)).AssertProblem(HttpStatusCode.PreconditionRequired, "precondition.required");
        await (await Complete(planId, new { }, ifMatch: "\"9\"")).AssertProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");
        // 2026-03-20 15:00Z is 11:00 on Friday 20 March in New York (EDT, UTC−4).
        var response = await Complete(planId, new { at = "2026-03-20T15:00:00Z" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("\"2\"", response.Headers.ETag?.Tag);
        var plan = await response.ReadObject();
        Assert.Equal("completed", plan["status"]!.GetValue<string>());
        Assert.Equal("2026-03-20", plan["completedOn"]!.GetValue<string>());
        Assert.Equal(DateTimeOffset.Parse("2026-03-20T15:00:00Z", CultureInfo.InvariantCulture), Instant(plan["completedAt"]));
        Assert.Equal("dr.patel", plan["completedBy"]!.GetValue<string>());
        Assert.Null(plan["discontinuedOn"]);
        var read = await (await data.Nurse.GetAsync($"/api/v1/plans/{planId}")).ReadObject();
        Assert.Equal("completed", read["status"]!.GetValue<string>());

        // Completed is final: not again, not discontinued, and no new session (domain.md §4).
        await (await Complete(planId, new { }, ifMatch: "\"2\"")).AssertProblem(HttpStatusCode.Conflict, "plan.not-active");
        await (await data.Discontinue(planId, new { reason = "late change of mind" }, ifMatch: "\"2\""))
            .AssertProblem(HttpStatusCode.Conflict, "plan.not-active");
        await (await data.FrontDesk.PostAsJsonAsync($"/api/v1/patients/{patientId}/sessions", new { planId, scheduledAt = "2026-03-23T14:00:00Z" }))
            .AssertProblem(HttpStatusCode.Conflict, "plan.not-active");
        Assert.Equal("\"2\"", (await data.Nurse.GetAsync($"/api/v1/plans/{planId}")).Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Complete_WithoutABody_CompletesNow()
    {
        var planId = (await data.Plan(await data.Patient()))["id"]!.GetValue<Guid>();
        var before = DateTimeOffset.UtcNow;

        var plan = await (await Complete(planId, body: null).EnsureStatus(HttpStatusCode.OK)).ReadObject();

        Assert.Equal("completed", plan["status"]!.GetValue<string>());
        Assert.InRange(Instant(plan["completedAt"]), before.AddSeconds(-1), DateTimeOffset.UtcNow.AddSeconds(1));
    }

    [Fact]
    public async Task Complete_InvalidBodyOrTime_IsRefusedAndChangesNothing()
    {
        var planId = (await data.Plan(await data.Patient(), startDate: "2026-03-02"))["id"]!.GetValue<Guid>();

        await (await Complete(planId, new { at = DateTimeOffset.UtcNow.AddDays(1) })).AssertValidationError("at");
        await (await Complete(planId, new { at = "2026-03-20T15:00:00" })).AssertValidationError("at");
        await (await Complete(planId, new { reason = "done" })).AssertValidationError("reason");
        // Before the plan's start date (and before it was made): time-inconsistent.
        await (await Complete(planId, new { at = "2026-02-01T15:00:00Z" }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "plan.time-inconsistent");

        var read = await data.Nurse.GetAsync($"/api/v1/plans/{planId}");
        Assert.Equal("active", (await read.ReadObject())["status"]!.GetValue<string>());
        Assert.Equal("\"1\"", read.Headers.ETag?.Tag);
    }

    [Fact]
    public async Task Complete_IsForPrescribers_AndAnUnknownPlanIs404()
    {
        var planId = (await data.Plan(await data.Patient()))["id"]!.GetValue<Guid>();

        await (await Complete(planId, new { }, client: data.Nurse)).AssertProblem(HttpStatusCode.Forbidden);
        await (await Complete(Guid.NewGuid(), new { })).AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Discontinue_CancelsScheduledSessionsAsTheClinic_AndLeavesAnInProgressSessionToFinish()
    {
        // One patient: a session in progress (checked in 3 h ago, IV dose given), a completed one, a booking
        // for next week and one for yesterday that nobody closed.
        var (patientId, planId, inProgress) = await data.CheckedInSession(weightKg: 70m);
        await data.Dose(data.Nurse, inProgress, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);
        var nextWeek = await data.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(7));
        var yesterday = await data.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(-1));
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);

        var response = await data.Discontinue(planId, new { reason = "Switched to esketamine.", at });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        foreach (var booking in new[] { nextWeek, yesterday })
        {
            var session = await data.SessionDetail(booking);
            Assert.Equal("cancelled", session["status"]!.GetValue<string>());
            Assert.Equal("clinic", session["cancelledBy"]!.GetValue<string>());
            Assert.Equal("plan discontinued", session["endReason"]!.GetValue<string>());
            Assert.Equal("dr.patel", session["endedBy"]!.GetValue<string>());
            Assert.Equal(at.ToUnixTimeMilliseconds(), Instant(session["endedAt"]).ToUnixTimeMilliseconds());
        }

        // domain.md §4: a session already in progress may be finished.
        Assert.Equal("in-progress", (await data.SessionDetail(inProgress))["status"]!.GetValue<string>());
        var completed = await data.CompleteWithMonitoring(inProgress);
        Assert.Equal("completed", completed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Discontinue_CancelsACheckedInSessionWithoutADose_SoThePatientCanBeCheckedInOnTheNextPlan()
    {
        // Checked in, no dose yet: nothing to finish, and it would hold the patient's one check-in slot.
        var (patientId, planId, checkedIn) = await data.CheckedInSession(weightKg: 70m);

        await data.Discontinue(planId, new { reason = "Switched to esketamine." }).EnsureStatus(HttpStatusCode.OK);

        var session = await data.SessionDetail(checkedIn);
        Assert.Equal("cancelled", session["status"]!.GetValue<string>());
        Assert.Equal("clinic", session["cancelledBy"]!.GetValue<string>());
        Assert.Equal("plan discontinued", session["endReason"]!.GetValue<string>());
        var next = (await data.Plan(patientId, "esketamine", "intranasal"))["id"]!.GetValue<Guid>();
        var nextSession = await data.Session(patientId, next);
        await data.CheckIn(nextSession, 70m);
    }

    [Fact]
    public async Task Complete_CancelsScheduledSessionsAsTheClinic()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var booking = await data.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(3));

        await Complete(planId, new { }).EnsureStatus(HttpStatusCode.OK);

        var session = await data.SessionDetail(booking);
        Assert.Equal("cancelled", session["status"]!.GetValue<string>());
        Assert.Equal("clinic", session["cancelledBy"]!.GetValue<string>());
        Assert.Equal("plan completed", session["endReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task EndingAPlanBeforeACheckInOnRecord_Returns422AndCancelsNothing()
    {
        // Checked in 3 h ago; ending the plan 4 h ago would put the check-in on an ended plan.
        var (patientId, planId, checkedIn) = await data.CheckedInSession(weightKg: 70m);
        var booking = await data.Session(patientId, planId, DateTimeOffset.UtcNow.AddDays(2));
        var earlier = TreatmentData.CheckInTime.AddHours(-1);

        await (await data.Discontinue(planId, new { reason = "x", at = earlier }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "plan.time-inconsistent");
        await (await Complete(planId, new { at = earlier }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "plan.time-inconsistent");

        Assert.Equal("checked-in", (await data.SessionDetail(checkedIn))["status"]!.GetValue<string>());
        Assert.Equal("scheduled", (await data.SessionDetail(booking))["status"]!.GetValue<string>());
        Assert.Equal("active", (await (await data.Nurse.GetAsync($"/api/v1/plans/{planId}")).ReadObject())["status"]!.GetValue<string>());
    }
}
