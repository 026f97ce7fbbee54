using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Security;

public sealed class AuditTrailTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);
    private readonly HttpClient admin = factory.ClientFor("audit.admin", "admin");

    private async Task<JsonArray> AuditOf(Guid patientId) =>
        (await (await admin.GetAsync($"/api/v1/audit?patientId={patientId}&limit=200")).ReadObject())["items"]!.AsArray();

    [Fact]
    public async Task ReadsAndWritesOfAPatientsRecord_AreAudited_WithIdsOnly()
    {
        var patient = await PatientData.Register(data.FrontDesk, PatientData.NewPatient(given: "Zenobia", family: "Quartermaine"));
        var patientId = patient["id"]!.GetValue<Guid>();
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        var sessionId = await data.Session(patientId, planId);
        await data.CheckIn(sessionId);
        var dose = await (await data.Dose(data.Nurse, sessionId, TreatmentData.Iv(35m)).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        await data.Nurse.GetAsync($"/api/v1/sessions/{sessionId}").EnsureStatus(HttpStatusCode.OK);

        var rows = await AuditOf(patientId);

        // Newest first: the session read, the dose, the pre-dose BP, check-in, scheduling, the plan, the registration.
        Assert.Equal(["GetSession", "RecordDose", "RecordObservation", "CheckIn", "ScheduleSession", "CreatePlan", "RegisterPatient"],
            rows.Select(r => r!["action"]!.GetValue<string>()));
        var doseRow = rows[1]!;
        Assert.Equal("nurse.kim", doseRow["userName"]!.GetValue<string>());
        Assert.Equal(["nurse"], doseRow["roles"]!.AsArray().Select(r => r!.GetValue<string>()));
        Assert.Equal(201, doseRow["status"]!.GetValue<int>());
        Assert.Equal(dose["id"]!.GetValue<Guid>(), doseRow["resourceId"]!.GetValue<Guid>());
        Assert.Equal("/api/v1/sessions/{sessionId:guid}/doses", doseRow["route"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(doseRow["correlationId"]!.GetValue<string>()));
        Assert.Equal(patientId, rows[6]!["resourceId"]!.GetValue<Guid>());
        var text = rows.ToJsonString();
        Assert.DoesNotContain("Zenobia", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Quartermaine", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(patient["mrn"]!.GetValue<string>(), text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task RefusedWrite_IsAuditedWithItsStatus_AndStoresNothing()
    {
        var (patientId, _, sessionId) = await data.CheckedInSession(weightKg: 70m);

        await (await data.Dose(data.Prescriber, sessionId, TreatmentData.Iv(80m, overrideReason: "x")))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.hard-limit");

        var refused = (await AuditOf(patientId)).First()!;
        Assert.Equal("RecordDose", refused["action"]!.GetValue<string>());
        Assert.Equal(422, refused["status"]!.GetValue<int>());
        Assert.Equal("dr.patel", refused["userName"]!.GetValue<string>());
        Assert.Empty((await data.SessionDetail(sessionId))["doses"]!.AsArray());

        // An attempt the role does not allow is in the trail with its 403.
        await (await factory.ClientFor("fd.jones", "front-desk").GetAsync($"/api/v1/audit?patientId={patientId}")).AssertProblem(HttpStatusCode.Forbidden);
        await (await data.FrontDesk.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/check-in", new { weightKg = 70, weightBasis = "actual" }))
            .AssertProblem(HttpStatusCode.Forbidden);
        var denied = (await AuditOf(patientId)).First()!;
        Assert.Equal(("CheckIn", 403, "fd.jones"),
            (denied["action"]!.GetValue<string>(), denied["status"]!.GetValue<int>(), denied["userName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Audit_FiltersByUserAndTime_AndIsAdminOnly()
    {
        var userName = Http.Unique("fd").ToLowerInvariant();
        var client = factory.ClientFor(userName, "front-desk");
        var before = DateTimeOffset.UtcNow.AddSeconds(-1);
        await PatientData.Register(client);

        var byUser = await (await admin.GetAsync($"/api/v1/audit?userName={userName}&from={Uri.EscapeDataString(before.ToString("O"))}")).ReadObject();
        Assert.Equal(["RegisterPatient"], byUser["items"]!.AsArray().Select(r => r!["action"]!.GetValue<string>()));

        await (await data.Prescriber.GetAsync("/api/v1/audit")).AssertProblem(HttpStatusCode.Forbidden);
        await (await admin.GetAsync("/api/v1/audit?from=yesterday")).AssertValidationError("from");
    }

    [Fact]
    public async Task Chain_StaysIntactUnderConcurrentWork_AndDetectsARowChangedInTheDatabase()
    {
        // Concurrent writes and reads from several users append to one chain.
        var patientId = await data.Patient();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(async i =>
        {
            var client = factory.ClientFor($"rn.{i % 3}", "nurse");
            await (i % 2 == 0 ? client.GetAsync($"/api/v1/patients/{patientId}") : client.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient()));
        }));
        var verified = await (await admin.GetAsync("/api/v1/audit/verify")).ReadObject();
        Assert.True(verified["intact"]!.GetValue<bool>(), verified.ToJsonString());

        // Someone with database access rewrites who read the record.
        var target = (await AuditOf(patientId)).Last()!;
        var sequence = target["sequence"]!.GetValue<long>();
        await Execute($"UPDATE audit_entries SET \"UserName\" = 'someone.else' WHERE \"Sequence\" = {sequence}");

        var broken = await (await admin.GetAsync("/api/v1/audit/verify")).ReadObject();
        Assert.False(broken["intact"]!.GetValue<bool>());
        Assert.Equal(sequence, broken["firstBroken"]!["sequence"]!.GetValue<long>());
        Assert.Contains("changed", broken["firstBroken"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // Put it back, then delete a row instead: the gap is found at the next row.
        await Execute($"UPDATE audit_entries SET \"UserName\" = '{target["userName"]}' WHERE \"Sequence\" = {sequence}");
        Assert.True((await (await admin.GetAsync("/api/v1/audit/verify")).ReadObject())["intact"]!.GetValue<bool>());
        await Execute($"DELETE FROM audit_entries WHERE \"Sequence\" = {sequence}");
        var gap = await (await admin.GetAsync("/api/v1/audit/verify")).ReadObject();
        Assert.False(gap["intact"]!.GetValue<bool>());
        Assert.Equal(sequence + 1, gap["firstBroken"]!["sequence"]!.GetValue<long>());
    }

    private async Task Execute(string sql) => Assert.Equal(1, await factory.Database.ExecuteAsync(sql));
}
