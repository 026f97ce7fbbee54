using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Core.Clinicians;

namespace ClinicTracker.Api.Tests.Security;

/// <summary>
/// domain.md §9: the staff register is the ceiling. A token's front-desk, nurse, prescriber or integrator role
/// counts only where the register grants that role to that user, while the entry is active, for reads as for
/// writes; the admin role comes from the identity provider alone.
/// </summary>
public sealed class StaffRegisterCeilingTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly TreatmentData data = new(factory);
    private readonly HttpClient admin = factory.ClientFor("ceiling.admin", "admin");

    [Fact]
    public async Task RegisteredFrontDesk_WithAPrescriberToken_Gets403OnPrescriberRoutes()
    {
        var userName = Http.Unique("fd.claims-more");
        factory.Register(userName, StaffRole.FrontDesk);
        var patientId = await data.Patient();

        var onlyPrescriber = factory.UnregisteredClientFor(userName, "prescriber");
        var both = factory.UnregisteredClientFor(userName, "front-desk", "prescriber");

        var refused = await (await onlyPrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", PlanBody()))
            .AssertProblem(HttpStatusCode.Forbidden);
        Assert.Equal("auth.forbidden", refused["code"]!.GetValue<string>());
        await (await both.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", PlanBody())).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
        // The front-desk role the register does grant still counts; the prescriber role it does not grant never does.
        await (await onlyPrescriber.GetAsync($"/api/v1/patients/{patientId}")).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
        Assert.Equal(HttpStatusCode.OK, (await both.GetAsync($"/api/v1/patients/{patientId}")).StatusCode);
        await (await both.GetAsync($"/api/v1/patients/{patientId}/assessments")).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task RegisteredNurse_WhoseTokenAlsoSaysPrescriber_CannotOverrideASoftLimit()
    {
        var userName = Http.Unique("rn.claims-prescriber");
        factory.Register(userName, StaffRole.Nurse);
        var nurseClaimingMore = factory.UnregisteredClientFor(userName, "nurse", "prescriber");
        var (_, _, sessionId) = await data.CheckedInSession(weightKg: 70m);

        // 60 mg at 70 kg = 0.857 mg/kg: above the 0.75 soft limit, below the 1.0 hard limit (domain.md §3).
        var refused = await (await data.Dose(nurseClaimingMore, sessionId, TreatmentData.Iv(60m, overrideReason: "Responding poorly to 0.5")))
            .AssertProblem(HttpStatusCode.UnprocessableEntity, "dose.soft-limit");

        Assert.False(refused["overrideAllowed"]!.GetValue<bool>());
        Assert.Empty((await data.SessionDetail(sessionId))["doses"]!.AsArray());
    }

    [Fact]
    public async Task Integrators_AreRegisteredLikeStaff_AndOnlyRead()
    {
        var (patientId, _, sessionId) = await data.CheckedInSession();
        var userName = Http.Unique("ehr.bridge").ToLowerInvariant();
        var integrator = factory.UnregisteredClientFor(userName, "integrator");

        await (await integrator.GetAsync($"/api/v1/sessions/{sessionId}")).AssertProblem(HttpStatusCode.Forbidden, "clinician.not-registered");
        var entry = await (await admin.PostAsJsonAsync("/api/v1/clinicians",
            new { userName, displayName = "EHR bridge", role = "integrator" }).EnsureStatus(HttpStatusCode.Created)).ReadObject();

        Assert.Equal("integrator", entry["role"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, (await integrator.GetAsync($"/api/v1/sessions/{sessionId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await integrator.GetAsync($"/api/v1/patients/{patientId}/outcomes")).StatusCode);
        await (await integrator.PostAsJsonAsync($"/api/v1/sessions/{sessionId}/observations",
            new { kind = "heart-rate", heartRate = 70, observedAt = DateTimeOffset.UtcNow })).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
        await (await integrator.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient())).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task UnregisteredAndDeactivatedUsers_CannotRead_FromTheNextRequestOn()
    {
        var (patientId, _, sessionId) = await data.CheckedInSession();
        var stranger = factory.UnregisteredClientFor(Http.Unique("locum"), "nurse");
        var userName = Http.Unique("rn.leaving").ToLowerInvariant();
        var nurse = factory.ClientFor(userName, "nurse");
        Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync($"/api/v1/sessions/{sessionId}")).StatusCode);
        var id = await ClinicianId(userName);

        await admin.PatchAsync($"/api/v1/clinicians/{id}", Http.Json("""{"active":false}""")).EnsureStatus(HttpStatusCode.OK);

        foreach (var client in new[] { stranger, nurse })
        {
            await (await client.GetAsync($"/api/v1/sessions/{sessionId}")).AssertProblem(HttpStatusCode.Forbidden, "clinician.not-registered");
            await (await client.GetAsync($"/api/v1/patients/{patientId}")).AssertProblem(HttpStatusCode.Forbidden, "clinician.not-registered");
            await (await client.GetAsync("/api/v1/clinicians")).AssertProblem(HttpStatusCode.Forbidden, "clinician.not-registered");
        }

        await admin.PatchAsync($"/api/v1/clinicians/{id}", Http.Json("""{"active":true}""")).EnsureStatus(HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.OK, (await nurse.GetAsync($"/api/v1/sessions/{sessionId}")).StatusCode);
    }

    [Fact]
    public async Task RegisterRoleChange_TakesEffectOnTheNextRequest()
    {
        var userName = Http.Unique("rn.promoted").ToLowerInvariant();
        var token = factory.UnregisteredClientFor(userName, "prescriber");
        factory.Register(userName, StaffRole.Nurse);
        var patientId = await data.Patient();
        await (await token.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", PlanBody())).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");

        await admin.PatchAsync($"/api/v1/clinicians/{await ClinicianId(userName)}", Http.Json("""{"role":"prescriber"}""")).EnsureStatus(HttpStatusCode.OK);

        await token.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", PlanBody()).EnsureStatus(HttpStatusCode.Created);
    }

    [Fact]
    public async Task Admin_NeedsNoRegisterEntry_AndReadsNoPatientRecord()
    {
        var (patientId, planId, sessionId) = await data.CheckedInSession();
        var admin = factory.UnregisteredClientFor(Http.Unique("idp.admin"), "admin");

        await admin.PostAsJsonAsync("/api/v1/clinicians", new { userName = Http.Unique("fd"), displayName = "New desk", role = "front-desk" })
            .EnsureStatus(HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/clinicians")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync($"/api/v1/audit?patientId={patientId}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/reports/adherence")).StatusCode);
        foreach (var path in new[]
        {
            $"/api/v1/patients/{patientId}", "/api/v1/patients?search=a", $"/api/v1/patients/{patientId}/sessions",
            $"/api/v1/sessions/{sessionId}", $"/api/v1/plans/{planId}", $"/api/v1/plans/{planId}/adherence",
            $"/api/v1/patients/{patientId}/outcomes",
        })
        {
            await (await admin.GetAsync(path)).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
        }
    }

    [Fact]
    public async Task AdminRole_ComesFromTheIdentityProviderAlone_ARegisterEntryNeitherGrantsNorRevokesIt()
    {
        var userName = Http.Unique("ops.admin");
        factory.Register(userName, StaffRole.Admin, active: false);

        // A deactivated admin entry does not stop the identity provider's admin role (revoke admins there) …
        Assert.Equal(HttpStatusCode.OK, (await factory.UnregisteredClientFor(userName, "admin").GetAsync("/api/v1/clinicians")).StatusCode);
        // … and an admin entry grants no clinic role to a token that claims one.
        factory.Register(userName, StaffRole.Admin);
        await (await factory.UnregisteredClientFor(userName, "nurse").GetAsync("/api/v1/clinicians")).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Fact]
    public async Task EverythingAnAdminDoes_IsAudited_RefusalsIncluded()
    {
        var (patientId, _, _) = await data.CheckedInSession();
        var userName = Http.Unique("audited.admin");
        var admin = factory.UnregisteredClientFor(userName, "admin");

        await admin.PostAsJsonAsync("/api/v1/clinicians", new { userName = Http.Unique("rn"), displayName = "RN", role = "nurse" })
            .EnsureStatus(HttpStatusCode.Created);
        await admin.GetAsync("/api/v1/reports/adherence").EnsureStatus(HttpStatusCode.OK);
        await admin.GetAsync($"/api/v1/patients/{patientId}").EnsureStatus(HttpStatusCode.Forbidden);

        var rows = (await (await admin.GetAsync($"/api/v1/audit?userName={userName}&limit=10")).ReadObject())["items"]!.AsArray();
        Assert.Equal([("GetPatient", 403), ("ListLowAdherence", 200), ("RegisterClinician", 201)],
            rows.Select(r => (r!["action"]!.GetValue<string>(), r["status"]!.GetValue<int>())));
        Assert.All(rows, r => Assert.Equal(["admin"], r!["roles"]!.AsArray().Select(x => x!.GetValue<string>())));
    }

    [Fact]
    public async Task RoleTheRegisterDoesNotGrant_IsNotRecordedAsTheCallersRole()
    {
        var userName = Http.Unique("fd.audited");
        factory.Register(userName, StaffRole.FrontDesk);
        var patientId = await data.Patient();

        await factory.UnregisteredClientFor(userName, "front-desk", "prescriber").GetAsync($"/api/v1/patients/{patientId}").EnsureStatus(HttpStatusCode.OK);

        var row = (await (await admin.GetAsync($"/api/v1/audit?userName={userName}&limit=1")).ReadObject())["items"]!.AsArray().Single()!;
        Assert.Equal(["front-desk"], row["roles"]!.AsArray().Select(x => x!.GetValue<string>()));
    }

    private async Task<Guid> ClinicianId(string userName) =>
        (await (await admin.GetAsync("/api/v1/clinicians?limit=200")).ReadObject())["items"]!.AsArray()
            .Single(c => c!["userName"]!.GetValue<string>() == userName)!["id"]!.GetValue<Guid>();

    private static object PlanBody() => new
    {
        medication = "ketamine", route = "intravenous", startDate = "2026-03-02", timeZone = "America/New_York",
        template = "iv-induction", targetDoseMgPerKg = 0.5m,
    };
}
