using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Doses;

public sealed class DoseRecordTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);

    [Fact]
    public async Task WrongRouteOrMedicationForPlan_Returns422AndStoresNothing()
    {
        var (_, _, sessionId) = await data.CheckedInSession();

        await (await data.Dose(data.Nurse, sessionId, TreatmentData.NonIv("oral", 100m)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.plan-mismatch");
        await (await data.Dose(data.Nurse, sessionId, TreatmentData.Esketamine(2)))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.plan-mismatch");
        Assert.Empty((await data.SessionDetail(sessionId))["doses"]!.AsArray());
    }

    [Fact]
    public async Task DoseOnCancelledOrNotCheckedInSession_Returns409()
    {
        var patientId = await data.Patient();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var notCheckedIn = await data.Session(patientId, planId);
        var cancelled = await data.Session(patientId, planId);
        await data.FrontDesk.PostAsJsonAsync($"/api/v1/sessions/{cancelled}/cancel", new { cancelledBy = "clinic" }).EnsureStatus(HttpStatusCode.OK);

        await (await data.Dose(data.Nurse, notCheckedIn, TreatmentData.Iv(35m))).AssertProblem(HttpStatusCode.Conflict, "session.not-dosable");
        await (await data.Dose(data.Nurse, cancelled, TreatmentData.Iv(35m))).AssertProblem(HttpStatusCode.Conflict, "session.not-dosable");
        await (await data.Dose(data.Nurse, Guid.NewGuid(), TreatmentData.Iv(35m))).AssertProblem(HttpStatusCode.NotFound);
    }

    public static TheoryData<string, string> InvalidDoses => new()
    {
        { """{"medication":"ketamine","route":"intravenous","amountMg":35,"administeredAt":"2026-01-01T10:00:00Z","lotNumber":"L"}""", "infusionStartedAt" },
        { """{"medication":"ketamine","route":"intravenous","amountMg":35,"infusionStartedAt":"2026-01-01T10:40:00Z","infusionEndedAt":"2026-01-01T10:00:00Z","lotNumber":"L"}""", "infusionEndedAt" },
        { """{"medication":"ketamine","route":"intravenous","amountMg":0,"infusionStartedAt":"2026-01-01T10:00:00Z","infusionEndedAt":"2026-01-01T10:40:00Z","lotNumber":"L"}""", "amountMg" },
        { """{"medication":"ketamine","route":"intravenous","amountMg":35.001,"infusionStartedAt":"2026-01-01T10:00:00Z","infusionEndedAt":"2026-01-01T10:40:00Z","lotNumber":"L"}""", "amountMg" },
        { """{"medication":"ketamine","route":"intravenous","amountMg":35,"infusionStartedAt":"2026-01-01T10:00:00Z","infusionEndedAt":"2026-01-01T10:40:00Z"}""", "lotNumber" },
        { """{"medication":"ketamine","route":"iv","amountMg":35,"infusionStartedAt":"2026-01-01T10:00:00Z","infusionEndedAt":"2026-01-01T10:40:00Z","lotNumber":"L"}""", "route" },
        { """{"medication":"ketamine","route":"intravenous","amountMg":35,"infusionStartedAt":"2026-01-01T10:00:00","infusionEndedAt":"2026-01-01T10:40:00Z","lotNumber":"L"}""", "infusionStartedAt" },
        { """{"medication":"ketamine","route":"oral","amountMg":35,"administeredAt":"2999-01-01T10:00:00Z","lotNumber":"L"}""", "administeredAt" },
        { """{"medication":"ketamine","route":"oral","amountMg":35,"administeredAt":"2026-01-01T10:00:00Z","lotNumber":"L","deviceCount":1}""", "deviceCount" },
        { """{"medication":"ketamine","route":"oral","amountMg":35,"administeredAt":"2026-01-01T10:00:00Z","lotNumber":"L","dose":"x"}""", "dose" },
    };

    [Theory]
    [MemberData(nameof(InvalidDoses))]
    public async Task InvalidDose_Returns400NamingTheField(string json, string field)
    {
        var (_, _, sessionId) = await data.CheckedInSession();

        var response = await data.Nurse.PostAsync($"/api/v1/sessions/{sessionId}/doses", Http.Json(json));

        await response.AssertValidationError(field);
        Assert.Empty((await data.SessionDetail(sessionId))["doses"]!.AsArray());
    }

    [Fact]
    public async Task DoseBeforeCheckIn_Returns422()
    {
        var (_, _, sessionId) = await data.CheckedInSession();

        var response = await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m, startMinutesAfterCheckIn: -30));

        await response.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.time-inconsistent");
    }

    [Fact]
    public async Task Void_ThenReRecord_VoidedNoLongerCountsAndIsHiddenUnlessAsked()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        var wrong = await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(50m)).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        var wrongId = wrong["id"]!.GetValue<Guid>();

        await (await data.Nurse.PostAsJsonAsync($"/api/v1/doses/{wrongId}/void", new { reason = "Typed 50 for 35" }))
            .AssertProblem(HttpStatusCode.Forbidden);
        var voided = await (await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{wrongId}/void", new { reason = "Typed 50 for 35" })
            .EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Equal("entered-in-error", voided["status"]!.GetValue<string>());
        Assert.Equal("dr.patel", voided["voidedBy"]!.GetValue<string>());
        await (await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{wrongId}/void", new { reason = "again" }))
            .AssertProblem(HttpStatusCode.Conflict, "dose.already-voided");

        // With 50 mg voided it no longer counts: 35 mg alone is under the 52.5 mg soft limit (50 + 35 = 85 would be over 70 mg).
        var replacement = await (await data.Dose(data.Nurse, sessionId, new
        {
            medication = "ketamine",
            route = "intravenous",
            amountMg = 35m,
            infusionStartedAt = TreatmentData.CheckInTime.AddMinutes(10),
            infusionEndedAt = TreatmentData.CheckInTime.AddMinutes(50),
            lotNumber = "KET-2026-001",
            replacesDoseId = wrongId,
        }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal(wrongId, replacement["replacesDoseId"]!.GetValue<Guid>());

        var visible = await (await data.Nurse.GetAsync($"/api/v1/sessions/{sessionId}/doses")).ReadObject();
        Assert.Equal("in-progress", (await data.SessionDetail(sessionId))["status"]!.GetValue<string>());
        Assert.Equal([35m], visible["items"]!.AsArray().Select(d => d!["amountMg"]!.GetValue<decimal>()));
        var all = await (await data.Nurse.GetAsync($"/api/v1/sessions/{sessionId}/doses?includeVoided=true")).ReadObject();
        Assert.Equal(2, all["items"]!.AsArray().Count);
        var summary = (await data.SessionDetail(sessionId))["doseSummary"]![0]!;
        Assert.Equal(35m, summary["totalMg"]!.GetValue<decimal>());
        Assert.Equal(1, summary["doseCount"]!.GetValue<int>());
        Assert.Equal("entered-in-error", (await (await data.Nurse.GetAsync($"/api/v1/doses/{wrongId}")).ReadObject())["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task VoidAfterCompletion_CanBeReplacedOnce_InsideTheSessionTimes()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        var wrong = await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(50m)).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        await data.CompleteWithMonitoring(sessionId);
        await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{wrong["id"]}/void", new { reason = "Pump showed 35 mg" }).EnsureStatus(HttpStatusCode.OK);
        object Replacement(int startMinutes) => new
        {
            medication = "ketamine",
            route = "intravenous",
            amountMg = 35m,
            infusionStartedAt = TreatmentData.CheckInTime.AddMinutes(startMinutes),
            infusionEndedAt = TreatmentData.CheckInTime.AddMinutes(startMinutes + 40),
            lotNumber = "KET-2026-001",
            replacesDoseId = wrong["id"],
        };

        // Starting after completion (+135 min) is outside the session; inside it the correction is accepted, once.
        await (await data.Dose(data.Nurse, sessionId, Replacement(136))).AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.time-inconsistent");
        await data.Dose(data.Nurse, sessionId, Replacement(10)).EnsureStatus(HttpStatusCode.Created);
        await (await data.Dose(data.Nurse, sessionId, Replacement(10))).AssertProblem(HttpStatusCode.Conflict, "dose.already-replaced");

        var session = await data.SessionDetail(sessionId);
        Assert.Equal("completed", session["status"]!.GetValue<string>());
        Assert.Equal(35, session["doseSummary"]![0]!["totalMg"]!.GetValue<decimal>());
        // A new dose (not a replacement) is still refused on a completed session.
        await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(5m))).AssertProblem(HttpStatusCode.Conflict, "session.not-dosable");
    }

    [Fact]
    public async Task Completion_WithEveryDoseVoided_IsRefused()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        var dose = await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        await data.Prescriber.PostAsJsonAsync($"/api/v1/doses/{dose["id"]}/void", new { reason = "Wrong session" }).EnsureStatus(HttpStatusCode.OK);

        var response = await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/complete", new { at = TreatmentData.CheckInTime.AddMinutes(135) });

        await response.AssertProblem(HttpStatusCode.UnprocessableEntity, "session.no-standing-dose");
    }

    [Fact]
    public async Task DoseAndPlanLists_PageInRecordingOrder()
    {
        var (patientId, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        var first = (await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(20m)).EnsureStatus(HttpStatusCode.Created)).ReadObject())["id"];
        var second = (await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(10m, startMinutesAfterCheckIn: 60))
            .EnsureStatus(HttpStatusCode.Created)).ReadObject())["id"];
        await data.Plan(patientId, "ketamine", "oral");

        var page1 = await (await data.Nurse.GetAsync($"/api/v1/sessions/{sessionId}/doses?limit=1")).ReadObject();
        var page2 = await (await data.Nurse.GetAsync($"/api/v1/sessions/{sessionId}/doses?limit=1&cursor={page1["nextCursor"]}")).ReadObject();
        Assert.Equal(first!.GetValue<Guid>(), page1["items"]![0]!["id"]!.GetValue<Guid>());
        Assert.Equal(second!.GetValue<Guid>(), page2["items"]![0]!["id"]!.GetValue<Guid>());
        Assert.Null(page2["nextCursor"]);

        // Plans come newest first: the oral plan, then the IV plan.
        var plans1 = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/plans?limit=1")).ReadObject();
        var plans2 = await (await data.Nurse.GetAsync($"/api/v1/patients/{patientId}/plans?limit=1&cursor={plans1["nextCursor"]}")).ReadObject();
        Assert.Equal(["oral", "intravenous"], new[] { plans1, plans2 }.Select(p => p["items"]![0]!["route"]!.GetValue<string>()));
        await (await data.Nurse.GetAsync($"/api/v1/sessions/{sessionId}/observations?cursor=bm90LWEtZ3VpZA")).AssertValidationError("cursor");
    }

    [Fact]
    public async Task ReplacesDoseId_MustBeAVoidedDoseOfTheSession()
    {
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        var standing = await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(20m)).EnsureStatus(HttpStatusCode.Created)).ReadObject();

        var response = await data.Dose(data.Nurse, sessionId, new
        {
            medication = "ketamine",
            route = "intravenous",
            amountMg = 10m,
            infusionStartedAt = TreatmentData.CheckInTime.AddMinutes(60),
            infusionEndedAt = TreatmentData.CheckInTime.AddMinutes(100),
            lotNumber = "KET-2026-001",
            replacesDoseId = standing["id"],
        });

        await response.AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.invalid-replacement");
    }

    [Fact]
    public async Task Waste_NeedsAWitnessOtherThanTheRecorder_WhoIsAnActiveClinician()
    {
        var admin = factory.ClientFor("it.admin", "admin");
        var witness = Http.Unique("rn.witness").ToLowerInvariant();
        await admin.PostAsJsonAsync("/api/v1/clinicians", new { userName = witness, displayName = "Witness", role = "nurse" })
            .EnsureStatus(HttpStatusCode.Created);
        await admin.PostAsJsonAsync("/api/v1/clinicians", new { userName = "nurse.kim", displayName = "Kim", role = "nurse" });
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);
        await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created);
        var wastedAt = TreatmentData.CheckInTime.AddMinutes(55);

        await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste", new { amountMg = 15m, witnessUserName = "NURSE.KIM", wastedAt }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "waste.witness-invalid");
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste", new { amountMg = 15m, witnessUserName = "nobody.here", wastedAt }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "waste.witness-invalid");
        await (await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste", new { amountMg = 15m, witnessUserName = "it.admin", wastedAt }))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "waste.witness-invalid");

        var recorded = await data.Nurse.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/waste",
            new { amountMg = 15m, witnessUserName = witness, wastedAt, lotNumber = "KET-2026-001" });

        Assert.Equal(HttpStatusCode.Created, recorded.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await data.Nurse.GetAsync(recorded.Headers.Location)).StatusCode);
        var waste = (await data.SessionDetail(sessionId))["waste"]!.AsArray();
        Assert.Single(waste);
        Assert.Equal(15m, waste[0]!["amountMg"]!.GetValue<decimal>());
        Assert.Equal("nurse.kim", waste[0]!["recordedBy"]!.GetValue<string>());
        Assert.Equal(witness, waste[0]!["witnessUserName"]!.GetValue<string>());
    }
}
