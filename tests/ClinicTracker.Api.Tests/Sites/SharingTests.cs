using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Sites;

/// <summary>
/// Records at sites (domain.md §14): a patient's home site, plans and sessions at a site, a prescriber's share with
/// another site (audited, revocable), a move of the home site, and the site-scoped clinic-wide lists.
/// </summary>
public sealed class SharingTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly HttpClient admin = factory.ClientFor("sharing.admin", "admin");

    [Fact]
    public async Task RegisteringAtYourOnlySite_IsTheDefault_SeveralSitesMustNameOne_AndOnlyYourOwn()
    {
        var (a, b) = (await Site("North"), await Site("South"));
        var frontDeskA = factory.ClientAt(Http.Unique("fd"), "front-desk", a);
        var frontDeskAB = factory.ClientAt(Http.Unique("fd"), "front-desk", a, b);

        var registered = await PatientData.Register(frontDeskA);
        Assert.Equal(a, registered["homeSiteId"]!.GetValue<Guid>());

        await (await frontDeskAB.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient())).AssertValidationError("homeSiteId");
        var atB = await (await frontDeskAB.PostAsJsonAsync("/api/v1/patients", WithHome(PatientData.NewPatient(), b))
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal(b, atB["homeSiteId"]!.GetValue<Guid>());

        await (await frontDeskA.PostAsJsonAsync("/api/v1/patients", WithHome(PatientData.NewPatient(), b)))
            .AssertProblem(HttpStatusCode.Forbidden, "site.not-assigned");
        await (await frontDeskAB.PostAsJsonAsync("/api/v1/patients", WithHome(PatientData.NewPatient(), Guid.NewGuid())))
            .AssertProblem(HttpStatusCode.Forbidden, "site.not-assigned");
    }

    [Fact]
    public async Task MrnsAreUniqueAcrossTheGroup_ASecondSiteGetsTheConflict_NotTheOtherRecord()
    {
        var (a, b) = (await Site("East"), await Site("West"));
        var mrn = "G" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        await PatientData.Register(factory.ClientAt(Http.Unique("fd"), "front-desk", a), PatientData.NewPatient(mrn: mrn));

        var conflict = await (await factory.ClientAt(Http.Unique("fd"), "front-desk", b).PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient(mrn: mrn)))
            .AssertProblem(HttpStatusCode.Conflict, "patient.duplicate-mrn");
        Assert.DoesNotContain("Ada", conflict.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShare_LetsTheOtherSiteSeeAndTreat_UntilRevoked_AndRevokingIsRefusedWhileItTreats()
    {
        var (home, other) = (await Site("Home"), await Site("Satellite"));
        var (homePrescriber, homeFrontDesk) = (factory.ClientAt(Http.Unique("dr"), "prescriber", home), factory.ClientAt(Http.Unique("fd"), "front-desk", home));
        var (otherNurse, otherFrontDesk) = (factory.ClientAt(Http.Unique("rn"), "nurse", other), factory.ClientAt(Http.Unique("fd"), "front-desk", other));
        var data = new TreatmentData(homeFrontDesk, otherNurse, homePrescriber);
        var patientId = (await PatientData.Register(homeFrontDesk))["id"]!.GetValue<Guid>();

        // Not shared yet: the other site sees nothing, and nothing can be planned there.
        await (await otherNurse.GetAsync($"/api/v1/patients/{patientId}")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        await (await homePrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", Plan(other)))
            .AssertProblem(HttpStatusCode.Conflict, "site.not-shared");

        var share = await (await homePrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/shares",
            new { siteId = other, reason = "Infusions nearer the patient's work." }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.True(share["active"]!.GetValue<bool>());
        await (await homePrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/shares", new { siteId = other, reason = "Again." }))
            .AssertProblem(HttpStatusCode.Conflict, "share.exists");
        await (await homePrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/shares", new { siteId = home, reason = "Home." }))
            .AssertProblem(HttpStatusCode.Conflict, "share.exists");

        // Shared: the other site reads the patient, finds them, and treats them there; a plan without a zone takes the site's.
        await (await otherNurse.GetAsync($"/api/v1/patients/{patientId}")).EnsureSuccess();
        var plan = await (await homePrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", Plan(other)).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal(other, plan["siteId"]!.GetValue<Guid>());
        Assert.Equal("America/Denver", plan["timeZone"]!.GetValue<string>());
        var session = await (await otherFrontDesk.PostAsJsonAsync($"/api/v1/patients/{patientId}/sessions",
            new { planId = plan["id"], scheduledAt = DateTimeOffset.UtcNow.AddDays(1) }).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        Assert.Equal(other, session["siteId"]!.GetValue<Guid>());

        // Revoking while the other site still has the plan would strand it: refused until the plan has ended.
        var revoke = $"/api/v1/patients/{patientId}/shares/{share["id"]}/revoke";
        await (await homePrescriber.PostAsJsonAsync(revoke, new { reason = "Back home." })).AssertProblem(HttpStatusCode.Conflict, "site.in-use");
        await data.Discontinue(plan["id"]!.GetValue<Guid>(), new { reason = "Treatment continues at home." }, "\"1\"").EnsureStatus(HttpStatusCode.OK);
        var revoked = await (await homePrescriber.PostAsJsonAsync(revoke, new { reason = "Back home." }).EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.False(revoked["active"]!.GetValue<bool>());
        await (await homePrescriber.PostAsJsonAsync(revoke, new { reason = "Twice." })).AssertProblem(HttpStatusCode.Conflict, "share.revoked");

        // From the next request on, the other site's staff see nothing again — the session held there included.
        await (await otherNurse.GetAsync($"/api/v1/patients/{patientId}")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        await (await otherNurse.GetAsync($"/api/v1/sessions/{session["id"]}")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        var shares = await (await homeFrontDesk.GetAsync($"/api/v1/patients/{patientId}/shares").EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Equal("Back home.", Assert.Single(shares["items"]!.AsArray())!["revocationReason"]!.GetValue<string>());
    }

    [Fact]
    public async Task OnlyTheHomeSitesPrescribers_ShareOrMove_AndAMoveKeepsThePreviousSiteOnlyWhenAsked()
    {
        var (home, shared, next) = (await Site("Origin"), await Site("Partner"), await Site("Destination"));
        var homePrescriber = factory.ClientAt(Http.Unique("dr"), "prescriber", home);
        var sharedPrescriber = factory.ClientAt(Http.Unique("dr"), "prescriber", shared);
        var homeNurse = factory.ClientAt(Http.Unique("rn"), "nurse", home);
        var nextNurse = factory.ClientAt(Http.Unique("rn"), "nurse", next);
        var data = new TreatmentData(factory.ClientAt(Http.Unique("fd"), "front-desk", home), homeNurse, homePrescriber);
        var patientId = await data.Patient();
        await homePrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/shares", new { siteId = shared, reason = "Shared care." })
            .EnsureStatus(HttpStatusCode.Created);

        // The partner site sees the record, but the home site decides who else does.
        await (await sharedPrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/shares", new { siteId = next, reason = "Onward." }))
            .AssertProblem(HttpStatusCode.Forbidden, "site.not-home-site");
        await (await sharedPrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/move", new { siteId = shared, reason = "Ours now." }))
            .AssertProblem(HttpStatusCode.Forbidden, "site.not-home-site");

        // The home site still treats the patient (an active plan): moving away without keeping its access is refused.
        var planId = (await data.Plan(patientId))["id"]!.GetValue<Guid>();
        await (await homePrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/move", new { siteId = next, reason = "Moved city." }))
            .AssertProblem(HttpStatusCode.Conflict, "site.in-use");
        await (await homePrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/move", new { siteId = home, reason = "Stay." }))
            .AssertProblem(HttpStatusCode.Conflict, "patient.same-home-site");

        var moved = await (await homePrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/move",
            new { siteId = next, reason = "Moved city.", shareWithPreviousSite = true }).EnsureStatus(HttpStatusCode.OK)).ReadObject();
        Assert.Equal(next, moved["homeSiteId"]!.GetValue<Guid>());

        // The new home site sees it; the previous one keeps access through a share, so its plan can be finished.
        await (await nextNurse.GetAsync($"/api/v1/patients/{patientId}")).EnsureSuccess();
        await (await homeNurse.GetAsync($"/api/v1/plans/{planId}")).EnsureSuccess();
        var shares = (await (await homeNurse.GetAsync($"/api/v1/patients/{patientId}/shares")).ReadObject())["items"]!.AsArray();
        Assert.Contains(shares, s => s!["siteId"]!.GetValue<Guid>() == home && s["active"]!.GetValue<bool>());
        var moves = (await (await nextNurse.GetAsync($"/api/v1/patients/{patientId}/site-moves")).ReadObject())["items"]!.AsArray();
        var move = Assert.Single(moves)!;
        Assert.Equal((home, next, "Moved city."), (move["fromSiteId"]!.GetValue<Guid>(), move["toSiteId"]!.GetValue<Guid>(), move["reason"]!.GetValue<string>()));

        // Now the previous home site's prescribers can no longer share or move the record.
        await (await homePrescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/move", new { siteId = home, reason = "Back." }))
            .AssertProblem(HttpStatusCode.Forbidden, "site.not-home-site");
    }

    [Fact]
    public async Task AnInactiveSite_TakesNoNewPatientsPlansOrShares()
    {
        var (home, closing) = (await Site("Main"), await Site("Closing"));
        var prescriber = factory.ClientAt(Http.Unique("dr"), "prescriber", home, closing);
        var patientId = (await (await prescriber.PostAsJsonAsync("/api/v1/patients", WithHome(PatientData.NewPatient(), home))
            .EnsureStatus(HttpStatusCode.Created)).ReadObject())["id"]!.GetValue<Guid>();
        await (await admin.PatchAsJsonAsync($"/api/v1/sites/{closing}", new { active = false })).EnsureSuccess();

        await (await prescriber.PostAsJsonAsync("/api/v1/patients", WithHome(PatientData.NewPatient(), closing)))
            .AssertProblem(HttpStatusCode.Conflict, "site.inactive");
        await (await prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/shares", new { siteId = closing, reason = "Closing." }))
            .AssertProblem(HttpStatusCode.Conflict, "site.inactive");
        await (await prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", Plan(closing)))
            .AssertProblem(HttpStatusCode.Conflict, "site.inactive");
    }

    [Fact]
    public async Task ClinicWideReports_AreOfTheCallersSites_OrOneOfThem_AndAnotherSiteIsRefused()
    {
        var (a, b) = (await Site("Report A"), await Site("Report B"));
        var prescriberA = factory.ClientAt(Http.Unique("dr"), "prescriber", a);
        var prescriberB = factory.ClientAt(Http.Unique("dr"), "prescriber", b);
        var prescriberAB = factory.ClientAt(Http.Unique("dr"), "prescriber", a, b);
        var planA = await PlanAt(prescriberA);
        var planB = await PlanAt(prescriberB);

        // Plans from 2026-03-02 with no session attended are far below any threshold.
        async Task<string> Report(HttpClient client, string query = "") =>
            await (await client.GetAsync($"/api/v1/reports/adherence?below=1&limit=200{query}").EnsureStatus(HttpStatusCode.OK)).Content.ReadAsStringAsync();
        var ofA = await Report(prescriberA);
        Assert.Contains(planA.ToString(), ofA, StringComparison.Ordinal);
        Assert.DoesNotContain(planB.ToString(), ofA, StringComparison.Ordinal);
        var ofBoth = await Report(prescriberAB);
        Assert.Contains(planA.ToString(), ofBoth, StringComparison.Ordinal);
        Assert.Contains(planB.ToString(), ofBoth, StringComparison.Ordinal);
        var onlyB = await Report(prescriberAB, $"&siteId={b}");
        Assert.DoesNotContain(planA.ToString(), onlyB, StringComparison.Ordinal);
        Assert.Contains(planB.ToString(), onlyB, StringComparison.Ordinal);

        await (await prescriberA.GetAsync($"/api/v1/reports/adherence?siteId={b}")).AssertProblem(HttpStatusCode.Forbidden, "site.not-assigned");
    }

    [Fact]
    public async Task TheAuditTrail_RecordsEachAccessesSite_AndAnAdminReadsOnlyTheirSites()
    {
        var (a, b) = (await Site("Audit A"), await Site("Audit B"));
        var nurseA = factory.ClientAt(Http.Unique("rn"), "nurse", a);
        var nurseB = factory.ClientAt(Http.Unique("rn"), "nurse", b);
        var adminA = factory.ClientAt(Http.Unique("admin"), "admin", a);
        var adminB = factory.ClientAt(Http.Unique("admin"), "admin", b);
        var patientB = (await PatientData.Register(nurseB))["id"]!.GetValue<Guid>();
        await (await nurseB.GetAsync($"/api/v1/patients/{patientB}")).EnsureSuccess();
        // A look from another site is refused as if the record did not exist, and audited for site B's admins.
        await (await nurseA.GetAsync($"/api/v1/patients/{patientB}")).AssertProblem(HttpStatusCode.NotFound);

        var rows = (await (await adminB.GetAsync($"/api/v1/audit?patientId={patientB}&siteId={b}").EnsureStatus(HttpStatusCode.OK)).ReadObject())["items"]!.AsArray();
        Assert.All(rows, r => Assert.Equal(b, r!["siteId"]!.GetValue<Guid>()));
        Assert.Contains(rows, r => r!["action"]!.GetValue<string>() == "GetPatient" && r["status"]!.GetValue<int>() == 404);
        Assert.Contains(rows, r => r!["action"]!.GetValue<string>() == "RegisterPatient" && r["status"]!.GetValue<int>() == 201);

        var seenByA = (await (await adminA.GetAsync($"/api/v1/audit?patientId={patientB}").EnsureStatus(HttpStatusCode.OK)).ReadObject())["items"]!.AsArray();
        Assert.Empty(seenByA);
        await (await adminA.GetAsync($"/api/v1/audit?siteId={b}")).AssertProblem(HttpStatusCode.Forbidden, "site.not-assigned");
    }

    [Fact]
    public async Task ATokenCannotClaimSitesOrARegisterEntry_TheRegisterAloneSays()
    {
        var (a, b) = (await Site("Token A"), await Site("Token B"));
        var patientB = (await PatientData.Register(factory.ClientAt(Http.Unique("fd"), "front-desk", b)))["id"]!.GetValue<Guid>();
        var nurse = Http.Unique("rn");
        factory.Register(nurse, ClinicTracker.Core.Clinicians.StaffRole.Nurse, sites: [a]);
        var forged = factory.CreateClient();
        forged.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.WithClaims(nurse,
            [("clinictracker:all-sites", "true"), ("clinictracker:site", b.ToString()), ("clinictracker:register-entry", "active")], "nurse", "prescriber"));

        // Neither the sites nor the "already checked" mark of the token count: site B's patient does not exist for
        // this nurse of site A, and the prescriber role the register does not grant does not count either.
        await (await forged.GetAsync($"/api/v1/patients/{patientB}")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        await (await forged.PostAsJsonAsync($"/api/v1/patients/{patientB}/move", new { siteId = a, reason = "Forged." }))
            .AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    private async Task<Guid> PlanAt(HttpClient prescriber)
    {
        var patientId = (await PatientData.Register(prescriber))["id"]!.GetValue<Guid>();
        var plan = await (await prescriber.PostAsJsonAsync($"/api/v1/patients/{patientId}/plans", Plan(siteId: null)).EnsureStatus(HttpStatusCode.Created)).ReadObject();
        return plan["id"]!.GetValue<Guid>();
    }

    private Task<Guid> Site(string name) => SiteData.Create(admin, name, "America/Denver");

    private static object Plan(Guid? siteId) => new
    {
        medication = "ketamine", route = "intravenous", startDate = "2026-03-02", template = "iv-induction", targetDoseMgPerKg = 0.5m, siteId,
    };

    private static JsonObject WithHome(object patient, Guid siteId)
    {
        var body = JsonSerializer(patient);
        body["homeSiteId"] = siteId;
        return body;
    }

    private static JsonObject JsonSerializer(object value) => System.Text.Json.JsonSerializer.SerializeToNode(value, Http.Options)!.AsObject();
}
