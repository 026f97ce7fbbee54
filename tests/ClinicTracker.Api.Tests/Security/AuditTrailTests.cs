using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Security;

public sealed class AuditTrailTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);
    private readonly HttpClient admin = factory.ClientFor("audit.admin", "admin");

    private Task<JsonArray> AuditOf(Guid patientId) => AuditOf(admin, patientId);

    private static async Task<JsonArray> AuditOf(HttpClient asAdmin, Guid patientId) =>
        (await (await asAdmin.GetAsync($"/api/v1/audit?patientId={patientId}&limit=200")).ReadObject())["items"]!.AsArray();

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
        // Its own database: the test removes the append-only guard from it.
        using var own = new ClinicApiFactory();
        var ownAdmin = own.ClientFor("audit.admin", "admin");
        var patientId = await new TreatmentData(own).Patient();

        // Concurrent writes and reads from several users append to the chains at once.
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(async i =>
        {
            var client = own.ClientFor($"rn.{i % 3}", "nurse");
            return await (i % 2 == 0 ? client.GetAsync($"/api/v1/patients/{patientId}") : client.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient()));
        }));
        Assert.All(responses, r => Assert.True(r.IsSuccessStatusCode, r.StatusCode.ToString()));
        var verified = await (await ownAdmin.GetAsync("/api/v1/audit/verify")).ReadObject();
        Assert.True(verified["intact"]!.GetValue<bool>(), verified.ToJsonString());

        // The database itself refuses to edit or delete a row, even for someone who bypasses the API.
        var target = (await AuditOf(ownAdmin, patientId)).Last()!;
        var (chain, sequence) = (target["chain"]!.GetValue<int>(), target["sequence"]!.GetValue<long>());
        var where = $"WHERE \"Chain\" = {chain} AND \"Sequence\" = {sequence}";
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => own.Database.ExecuteAsync($"UPDATE audit_entries SET \"UserName\" = 'someone.else' {where}"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => own.Database.ExecuteAsync($"DELETE FROM audit_entries {where}"));

        // Someone who owns the database drops that guard and rewrites who read the record: verify finds the row.
        await own.Database.DropAuditGuardsAsync();
        await Execute(own, $"UPDATE audit_entries SET \"UserName\" = 'someone.else' {where}");
        var broken = await (await ownAdmin.GetAsync("/api/v1/audit/verify")).ReadObject();
        Assert.False(broken["intact"]!.GetValue<bool>());
        Assert.Equal((chain, sequence), (broken["firstBroken"]!["chain"]!.GetValue<int>(), broken["firstBroken"]!["sequence"]!.GetValue<long>()));
        Assert.Contains("changed", broken["firstBroken"]!["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // Put it back, then delete the row instead: the gap is found at the next row of its chain, or, for the
        // chain's last row, at the head.
        await Execute(own, $"UPDATE audit_entries SET \"UserName\" = '{target["userName"]}' {where}");
        Assert.True((await (await ownAdmin.GetAsync("/api/v1/audit/verify")).ReadObject())["intact"]!.GetValue<bool>());
        var lastOfChain = Convert.ToInt64(await own.Database.ScalarAsync($"SELECT MAX(\"Sequence\") FROM audit_entries WHERE \"Chain\" = {chain}"), System.Globalization.CultureInfo.InvariantCulture);
        await Execute(own, $"DELETE FROM audit_entries {where}");
        var gap = (await (await ownAdmin.GetAsync("/api/v1/audit/verify")).ReadObject())["firstBroken"]!;
        Assert.Equal(chain, gap["chain"]!.GetValue<int>());
        Assert.Equal(sequence == lastOfChain ? sequence : sequence + 1, gap["sequence"]!.GetValue<long>());
        Assert.Contains("missing", gap["reason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RowsCutOffTheEnd_AreFoundByTheHead_AndByAHeadExportedEarlier()
    {
        using var own = new ClinicApiFactory();
        var ownAdmin = own.ClientFor("audit.admin", "admin");
        var ownData = new TreatmentData(own);
        var patientId = await ownData.Patient();
        await ownData.FrontDesk.GetAsync($"/api/v1/patients/{patientId}").EnsureStatus(HttpStatusCode.OK);
        var exported = await (await ownAdmin.GetAsync("/api/v1/audit/head")).ReadObject();
        Assert.Equal(16, exported["chains"]!.AsArray().Count);
        Assert.True((await (await ownAdmin.PostAsJsonAsync("/api/v1/audit/head/verify", exported)).ReadObject())["matches"]!.GetValue<bool>());

        // Someone who owns the database deletes a chain's rows from the exported head on (rows appended since
        // the export included).
        var chain = exported["chains"]!.AsArray().First(c => c!["sequence"]!.GetValue<long>() > 0)!;
        var (number, sequence) = (chain["chain"]!.GetValue<int>(), chain["sequence"]!.GetValue<long>());
        await own.Database.DropAuditGuardsAsync();
        Assert.True(await own.Database.ExecuteAsync($"DELETE FROM audit_entries WHERE \"Chain\" = {number} AND \"Sequence\" >= {sequence}") >= 1);

        // The head still says where the chain ended.
        var cut = (await (await ownAdmin.GetAsync("/api/v1/audit/verify")).ReadObject())["firstBroken"]!;
        Assert.Equal((number, sequence), (cut["chain"]!.GetValue<int>(), cut["sequence"]!.GetValue<long>()));
        Assert.Contains("cut off", cut["reason"]!.GetValue<string>(), StringComparison.Ordinal);

        // With the head rewound as well, the chain alone looks whole; the copy kept outside does not match.
        var previousHash = sequence == 1 ? "GENESIS" : (string)(await own.Database.ScalarAsync(
            $"SELECT \"Hash\" FROM audit_entries WHERE \"Chain\" = {number} AND \"Sequence\" = {sequence - 1}"))!;
        Assert.Equal(1, await own.Database.ExecuteAsync(
            $"UPDATE audit_chain_heads SET \"Sequence\" = {sequence - 1}, \"Hash\" = '{previousHash}' WHERE \"Chain\" = {number}"));
        var check = await (await ownAdmin.PostAsJsonAsync("/api/v1/audit/head/verify", exported)).ReadObject();
        Assert.False(check["matches"]!.GetValue<bool>());
        var mismatch = check["chains"]!.AsArray().Single(c => !c!["matches"]!.GetValue<bool>())!;
        Assert.Equal(number, mismatch["chain"]!.GetValue<int>());
    }

    [Fact]
    public async Task ChainHeads_OnlyMoveForward_InTheDatabase()
    {
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() =>
            factory.Database.ExecuteAsync("UPDATE audit_chain_heads SET \"Sequence\" = \"Sequence\" - 1 WHERE \"Chain\" = 0"));
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => factory.Database.ExecuteAsync("DELETE FROM audit_chain_heads"));
    }

    private static async Task Execute(ClinicApiFactory on, string sql) => Assert.Equal(1, await on.Database.ExecuteAsync(sql));
}
