using System.Net;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Demo;
using ClinicTracker.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace ClinicTracker.Api.Tests.Demo;

/// <summary>
/// The demo clinic of seed-demo (issue 13), seeded once through the API and read back through it with the tokens the
/// command prints: what a front-end developer clicking through Swagger UI would find.
/// </summary>
public sealed class DemoClinicTests(SeededDemoClinic demo, ITestOutputHelper output) : IClassFixture<SeededDemoClinic>
{
    [Fact]
    public async Task SeedDemo_RegistersThirtyPatients_AndStaffOfEveryRole()
    {
        output.WriteLine($"Seeded on {demo.Factory.Database.Provider} in {demo.Took.TotalSeconds:0.0} s.");
        var patients = await Page(DemoPeople.FrontDesk, "/api/v1/patients?search=DEMO-&limit=50");
        Assert.Equal(DemoPeople.PatientCount, patients.Count);
        Assert.Equal(DemoPeople.PatientCount, demo.Counts.Patients);

        var staff = await Page(DemoPeople.Admin, "/api/v1/clinicians?limit=50");
        Assert.Equal(["admin", "front-desk", "integrator", "nurse", "prescriber"],
            staff.Select(s => s!["role"]!.GetValue<string>()).Distinct().Order(StringComparer.Ordinal));
        Assert.All(staff, s => Assert.True(s!["active"]!.GetValue<bool>()));
    }

    [Fact]
    public async Task SeedDemo_EachRolesToken_ReadsWhatTheRoleMay_AndTheFrontDeskGetsNoClinicalData()
    {
        var patientId = await PatientId(1);

        Assert.Equal(HttpStatusCode.OK, (await Get(DemoPeople.FrontDesk, $"/api/v1/patients/{patientId}")).StatusCode);
        await (await Get(DemoPeople.FrontDesk, $"/api/v1/patients/{patientId}/outcomes")).AssertProblem(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await Get(DemoPeople.Nurse, $"/api/v1/patients/{patientId}/assessments")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(DemoPeople.Prescriber, "/api/v1/reports/adherence")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Get(DemoPeople.Admin, "/api/v1/audit/head")).StatusCode);
        await (await Get(DemoPeople.Admin, $"/api/v1/patients/{patientId}")).AssertProblem(HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await Get(DemoPeople.Integrator, $"/api/v1/patients/{patientId}/outcomes")).StatusCode);
    }

    [Fact]
    public async Task SeedDemo_AdherenceReport_ListsThePlansWithMissedSessions_WithTheirReasons()
    {
        // Patients 19, 23 and 28 (DEMO-0020, -0024, -0029) miss two due dates each (DemoPeople.Misses): 6/8, 5/7, 6/8 < 0.8.
        var report = await Page(DemoPeople.Prescriber, "/api/v1/reports/adherence?limit=50");
        Assert.Equal(["DEMO-0020", "DEMO-0024", "DEMO-0029"], report.Select(r => r!["mrn"]!.GetValue<string>()).Order(StringComparer.Ordinal));

        var adherence = await PlanAdherence(19);
        Assert.Equal(2, adherence["missedByReason"]!["not-scheduled"]!.GetValue<int>());
        Assert.Equal(1, (await PlanAdherence(17))["missedByReason"]!["no-show"]!.GetValue<int>());
        Assert.Equal(1, (await PlanAdherence(23))["missedByReason"]!["cancelled-by-clinic"]!.GetValue<int>());
        Assert.Equal(1, (await PlanAdherence(16))["late"]!.GetValue<int>());
    }

    [Fact]
    public async Task SeedDemo_Outcomes_HaveTenResponders_ExactlyOneRemission_AndOneOpenSafetyFlag()
    {
        var responders = 0;
        var remissions = new List<int>();
        var flagged = new List<int>();
        for (var i = 0; i < DemoPeople.PatientCount; i++)
        {
            var patientId = await PatientId(i);
            var phq9 = (await Read(DemoPeople.Nurse, $"/api/v1/patients/{patientId}/outcomes"))["instruments"]!.AsArray().Single()!;
            Assert.NotNull(phq9["baseline"]);
            responders += phq9["response"]!.GetValue<bool>() ? 1 : 0;
            if (phq9["remission"]!.GetValue<bool>())
            {
                remissions.Add(i);
            }

            var flags = (await Read(DemoPeople.Nurse, $"/api/v1/patients/{patientId}/safety-flags"))["items"]!.AsArray();
            flagged.AddRange(flags.Where(f => f!["status"]!.GetValue<string>() == "open").Select(_ => i));
        }

        // DemoPeople: nine responders plus the remission patient (who responds too); the rest partial or not at all.
        Assert.Equal(10, responders);
        Assert.Equal([2], remissions);
        Assert.Equal([DemoPeople.FlaggedPatient], flagged);
    }

    [Fact]
    public async Task SeedDemo_AuditChainVerifies_AndTheSoftLimitOverrideNamesItsWarning()
    {
        var verified = await Read(DemoPeople.Admin, "/api/v1/audit/verify");
        Assert.True(verified["intact"]!.GetValue<bool>(), verified.ToJsonString());

        var sessions = await Page(DemoPeople.Nurse, $"/api/v1/patients/{await PatientId(DemoPeople.OverridePatient)}/sessions?limit=50");
        var overridden = new List<JsonNode?>();
        foreach (var session in sessions.Where(s => s!["status"]!.GetValue<string>() == "completed"))
        {
            var doses = (await Read(DemoPeople.Nurse, $"/api/v1/sessions/{session!["id"]}"))["doses"]!.AsArray();
            overridden.AddRange(doses.Where(d => d!["overrideReason"] is not null));
        }

        var dose = Assert.Single(overridden)!;
        Assert.Equal(["iv.above-usual-mg-per-kg"], dose["overriddenWarnings"]!.AsArray().Select(w => w!.GetValue<string>()));
        Assert.Equal(DemoPeople.Prescriber.UserName, dose["overriddenBy"]!.GetValue<string>());
        Assert.Equal(1, demo.Counts.Overrides);
    }

    [Fact]
    public async Task SeedDemo_ReceivesItsLotsFirst_AndEveryDoseAndWasteDrawsOnThem()
    {
        var today = Core.Plans.ClinicTime.Today(TimeProvider.System, DemoClinic.TimeZone);
        var lines = (await Read(DemoPeople.Admin, $"/api/v1/stock/reconciliation?from={today.AddDays(-90):yyyy-MM-dd}&to={today:yyyy-MM-dd}"))["lots"]!.AsArray();

        Assert.Equal(["KET-DEMO-001", "SPR-DEMO-001"], lines.Select(l => l!["lotNumber"]!.GetValue<string>()).Order(StringComparer.Ordinal));
        // Stock:Enforce is on in the demo: every dose and every waste record was drawn from one of the two lots.
        Assert.Equal(demo.Counts.Doses, lines.Sum(l => l!["administrations"]!.GetValue<int>()));
        foreach (var line in lines)
        {
            decimal Mg(string key) => line![key]!.GetValue<decimal>();
            Assert.Equal(Mg("openingMg") + Mg("receivedMg") - Mg("administeredMg") - Mg("wastedMg") - Mg("disposedMg") + Mg("adjustedMg"), Mg("closingMg"));
            Assert.True(Mg("closingMg") > 0);
            Assert.Empty(line!["openDiscrepancies"]!.AsArray());
        }

        // The month-end count found the vials 5 mg short; the prescriber adjusted the balance.
        var iv = lines.Single(l => l!["lotNumber"]!.GetValue<string>() == "KET-DEMO-001")!;
        Assert.Equal(-5m, iv["adjustedMg"]!.GetValue<decimal>());
        Assert.True(iv["wastedMg"]!.GetValue<decimal>() > 0);
    }

    [Fact]
    public async Task SeedDemo_LeavesADatabaseThatSeedDemoNoLongerCallsEmpty()
    {
        var content = await DemoDatabase.ContentAsync(demo.Factory.Services);

        Assert.False(content.IsEmpty);
        Assert.Equal(DemoPeople.PatientCount, content.Patients);
        Assert.Equal(DemoPeople.Staff.Count, content.StaffEntries);
    }

    private async Task<JsonObject> PlanAdherence(int patient)
    {
        var plans = await Page(DemoPeople.Prescriber, $"/api/v1/patients/{await PatientId(patient)}/plans");
        return await Read(DemoPeople.Nurse, $"/api/v1/plans/{plans.Single()!["id"]}/adherence");
    }

    private async Task<Guid> PatientId(int patient)
    {
        var found = await Page(DemoPeople.FrontDesk, $"/api/v1/patients?search={DemoPeople.Mrn(patient)}");
        return found.Single()!["id"]!.GetValue<Guid>();
    }

    private async Task<HttpResponseMessage> Get(DemoStaffMember member, string path) => await demo.Factory.ClientAs(member).GetAsync(path);

    private async Task<JsonObject> Read(DemoStaffMember member, string path)
    {
        var response = await Get(member, path);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.ReadObject();
    }

    private async Task<JsonArray> Page(DemoStaffMember member, string path)
    {
        var page = await Read(member, path);
        Assert.Null(page["nextCursor"]?.GetValue<string>());
        return page["items"]!.AsArray();
    }
}
