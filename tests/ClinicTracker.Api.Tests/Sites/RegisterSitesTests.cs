using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Tests.Infrastructure;
using ClinicTracker.Core.Sites;

namespace ClinicTracker.Api.Tests.Sites;

/// <summary>
/// Where staff work (domain.md §14): register entries name their sites, or all of them (admins and integrators only),
/// and the register is read on every request, so a change of sites applies from the next one. This class's database has
/// several sites (tests add them), so creating an entry without sites is refused here; the single-site case runs on
/// its own factory.
/// </summary>
public sealed class RegisterSitesTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly HttpClient admin = factory.ClientFor("admin.register", "admin");

    private Task<Guid> NewSite(string prefix = "Site", bool active = true) => SiteData.Create(admin, prefix, active: active);

    private async Task Deactivate(Guid siteId) =>
        await (await admin.PatchAsync($"/api/v1/sites/{siteId}", Http.Json("""{"active":false}"""))).EnsureSuccess();

    private Task<HttpResponseMessage> RegisterClinician(object entry) => admin.PostAsJsonAsync("/api/v1/clinicians", entry);

    private Task<HttpResponseMessage> PatchClinician(object id, object change) =>
        admin.PatchAsync($"/api/v1/clinicians/{id}", JsonContent.Create(change));

    private static List<Guid> SitesOf(JsonObject entry) => [.. entry["sites"]!.AsArray().Select(s => s!.GetValue<Guid>())];

    [Fact]
    public async Task Register_WithSites_ListsThem_InTheResponseAndOnRead()
    {
        var a = await NewSite();
        var b = await NewSite();

        var response = await RegisterClinician(new { userName = Http.Unique("rn.two"), displayName = "Two Sites", role = "nurse", sites = new[] { b, a } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadObject();
        Assert.Equal(new[] { a, b }.Order(), SitesOf(body).Order());
        Assert.False(body["allSites"]!.GetValue<bool>());
        var read = await (await admin.GetAsync(response.Headers.Location)).EnsureSuccessObject();
        Assert.Equal(new[] { a, b }.Order(), SitesOf(read).Order());
    }

    [Fact]
    public async Task Register_WithoutSites_OnASingleSiteInstall_PutsTheEntryAtTheDefaultSite()
    {
        using var fresh = new ClinicApiFactory();
        var freshAdmin = fresh.ClientFor("admin.fresh", "admin");

        var body = await (await freshAdmin.PostAsJsonAsync("/api/v1/clinicians", new { userName = Http.Unique("rn.single"), displayName = "Single", role = "nurse" })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();

        Assert.Equal([Site.DefaultId], SitesOf(body));
        Assert.False(body["allSites"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Register_WithoutSites_WhenTheGroupHasSeveral_Returns400NamingSites()
    {
        await NewSite("Second");

        var response = await RegisterClinician(new { userName = Http.Unique("rn.where"), displayName = "Where", role = "nurse" });

        await response.AssertValidationError("sites");
    }

    [Theory]
    [InlineData("nurse")]
    [InlineData("prescriber")]
    [InlineData("front-desk")]
    public async Task Register_AllSitesForAStaffRole_Returns400(string role)
    {
        var response = await RegisterClinician(new { userName = Http.Unique("everywhere"), displayName = "Everywhere", role, allSites = true });

        await response.AssertValidationError("allSites");
    }

    [Theory]
    [InlineData("integrator")]
    [InlineData("admin")]
    public async Task Register_AllSitesForIntegratorOrAdmin_Succeeds_WithNoListedSites(string role)
    {
        var body = await (await RegisterClinician(new { userName = Http.Unique("all"), displayName = "All sites", role, allSites = true })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();

        Assert.True(body["allSites"]!.GetValue<bool>());
        Assert.Empty(SitesOf(body));
    }

    [Fact]
    public async Task Register_AllSitesTogetherWithSites_Returns400()
    {
        var response = await RegisterClinician(new
        {
            userName = Http.Unique("both"), displayName = "Both", role = "integrator", allSites = true, sites = new[] { Site.DefaultId },
        });

        await response.AssertValidationError("sites");
    }

    [Fact]
    public async Task Register_TheSameSiteTwice_Returns400()
    {
        var response = await RegisterClinician(new
        {
            userName = Http.Unique("twice"), displayName = "Twice", role = "nurse", sites = new[] { Site.DefaultId, Site.DefaultId },
        });

        await response.AssertValidationError("sites");
    }

    [Fact]
    public async Task Register_AtAnUnknownSite_Returns404_AndStoresNothing()
    {
        var userName = Http.Unique("nowhere");

        var response = await RegisterClinician(new { userName, displayName = "Nowhere", role = "nurse", sites = new[] { Site.DefaultId, Guid.NewGuid() } });

        await response.AssertProblem(HttpStatusCode.NotFound, "not-found");
        var register = await (await admin.GetAsync("/api/v1/clinicians?limit=200")).EnsureSuccessObject();
        Assert.DoesNotContain(register["items"]!.AsArray(), c => c!["userName"]!.GetValue<string>() == userName);
    }

    [Fact]
    public async Task Register_AtAnInactiveSite_Returns409SiteInactive()
    {
        var closed = await NewSite("Closed", active: false);

        var response = await RegisterClinician(new { userName = Http.Unique("rn.closed"), displayName = "Closed", role = "nurse", sites = new[] { closed } });

        await response.AssertProblem(HttpStatusCode.Conflict, "site.inactive");
    }

    [Fact]
    public async Task Patch_KeepingASiteThatWasDeactivated_IsFine_AddingAnotherInactiveSite_Is409()
    {
        var kept = await NewSite("Kept");
        var other = await NewSite("Other");
        var entry = await (await RegisterClinician(new { userName = Http.Unique("rn.kept"), displayName = "Kept", role = "nurse", sites = new[] { kept } })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        await Deactivate(kept);
        await Deactivate(other);

        var renamed = await (await PatchClinician(entry["id"]!, new { displayName = "Still Kept" })).EnsureSuccessObject();
        var sameSites = await (await PatchClinician(entry["id"]!, new { sites = new[] { kept } })).EnsureSuccessObject();
        var adding = await PatchClinician(entry["id"]!, new { sites = new[] { kept, other } });

        Assert.Equal([kept], SitesOf(renamed));
        Assert.Equal([kept], SitesOf(sameSites));
        await adding.AssertProblem(HttpStatusCode.Conflict, "site.inactive");
        var read = await (await admin.GetAsync($"/api/v1/clinicians/{entry["id"]}")).EnsureSuccessObject();
        Assert.Equal([kept], SitesOf(read));
    }

    [Fact]
    public async Task Patch_WithAnUnknownOrRepeatedSite_IsRefused()
    {
        var entry = await (await RegisterClinician(new { userName = Http.Unique("rn.patch"), displayName = "Patch", role = "nurse", sites = new[] { Site.DefaultId } })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();

        await (await PatchClinician(entry["id"]!, new { sites = new[] { Guid.NewGuid() } })).AssertProblem(HttpStatusCode.NotFound, "not-found");
        await (await PatchClinician(entry["id"]!, new { sites = new[] { Site.DefaultId, Site.DefaultId } })).AssertValidationError("sites");
        // The body alone is valid; it is the stored nurse role that may not hold every site.
        await (await PatchClinician(entry["id"]!, new { allSites = true })).AssertProblem(HttpStatusCode.UnprocessableEntity, "clinician.all-sites-role");
        await (await PatchClinician(entry["id"]!, new { allSites = true, role = "prescriber" })).AssertValidationError("allSites");
        var read = await (await admin.GetAsync($"/api/v1/clinicians/{entry["id"]}")).EnsureSuccessObject();
        Assert.Equal([Site.DefaultId], SitesOf(read));
        Assert.Equal(1, read["version"]!.GetValue<int>());
    }

    [Fact]
    public async Task Patch_Sites_ReplacesTheList_AndAppliesFromTheNextRequest()
    {
        var a = await NewSite("A");
        var b = await NewSite("B");
        var frontDesk = factory.ClientAt(Http.Unique("fd.ab"), "front-desk", a, b);
        var atA = await PatientData.Register(frontDesk, Patient(a));
        var atB = await PatientData.Register(frontDesk, Patient(b));
        Assert.Equal(a, atA["homeSiteId"]!.GetValue<Guid>());
        var nurseName = Http.Unique("rn.moving");
        var entry = await (await RegisterClinician(new { userName = nurseName, displayName = "Moving", role = "nurse", sites = new[] { a } })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();
        var nurse = factory.UnregisteredClientFor(nurseName, "nurse");
        await (await nurse.GetAsync($"/api/v1/patients/{atA["id"]}")).EnsureSuccess();
        await (await nurse.GetAsync($"/api/v1/patients/{atB["id"]}")).AssertProblem(HttpStatusCode.NotFound, "not-found");

        var moved = await (await PatchClinician(entry["id"]!, new { sites = new[] { b } })).EnsureSuccessObject();

        Assert.Equal([b], SitesOf(moved));
        // The same client, its same token: only the register changed.
        await (await nurse.GetAsync($"/api/v1/patients/{atA["id"]}")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        var seen = await (await nurse.GetAsync($"/api/v1/patients/{atB["id"]}")).EnsureSuccessObject();
        Assert.Equal(b, seen["homeSiteId"]!.GetValue<Guid>());
        var list = await (await nurse.GetAsync("/api/v1/patients?limit=200")).EnsureSuccessObject();
        var ids = list["items"]!.AsArray().Select(p => p!["id"]!.GetValue<Guid>()).ToList();
        Assert.Contains(atB["id"]!.GetValue<Guid>(), ids);
        Assert.DoesNotContain(atA["id"]!.GetValue<Guid>(), ids);
    }

    [Fact]
    public async Task Patch_RoleOfAnAllSitesIntegratorToNurse_Returns422_UnlessSitesAreSentWithIt()
    {
        var entry = await (await RegisterClinician(new { userName = Http.Unique("ehr.all"), displayName = "EHR", role = "integrator", allSites = true })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();

        var refused = await PatchClinician(entry["id"]!, new { role = "nurse" });

        await refused.AssertProblem(HttpStatusCode.UnprocessableEntity, "clinician.all-sites-role");
        var unchanged = await (await admin.GetAsync($"/api/v1/clinicians/{entry["id"]}")).EnsureSuccessObject();
        Assert.Equal("integrator", unchanged["role"]!.GetValue<string>());
        Assert.True(unchanged["allSites"]!.GetValue<bool>());

        // Naming where the nurse works replaces the all-sites grant.
        var changed = await (await PatchClinician(entry["id"]!, new { role = "nurse", sites = new[] { Site.DefaultId } })).EnsureSuccessObject();
        Assert.Equal("nurse", changed["role"]!.GetValue<string>());
        Assert.False(changed["allSites"]!.GetValue<bool>());
        Assert.Equal([Site.DefaultId], SitesOf(changed));
    }

    [Fact]
    public async Task Patch_AllSitesTrue_ForAnIntegrator_DropsItsListedSites()
    {
        var entry = await (await RegisterClinician(new { userName = Http.Unique("ehr.one"), displayName = "EHR", role = "integrator", sites = new[] { Site.DefaultId } })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();

        var all = await (await PatchClinician(entry["id"]!, new { allSites = true })).EnsureSuccessObject();
        var back = await (await PatchClinician(entry["id"]!, new { allSites = false, sites = new[] { Site.DefaultId } })).EnsureSuccessObject();

        Assert.True(all["allSites"]!.GetValue<bool>());
        Assert.Empty(SitesOf(all));
        Assert.False(back["allSites"]!.GetValue<bool>());
        Assert.Equal([Site.DefaultId], SitesOf(back));
    }

    [Fact]
    public async Task UnregisteredAdmin_ReadsTheAdherenceReport_AtTheDefaultSite()
    {
        var response = await factory.ClientFor("admin.unregistered", "admin").GetAsync("/api/v1/reports/adherence");
        var scoped = await factory.ClientFor("admin.unregistered", "admin").GetAsync($"/api/v1/reports/adherence?siteId={Site.DefaultId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(HttpStatusCode.OK, scoped.StatusCode);
    }

    [Fact]
    public async Task AdminRegisteredAtAnotherSite_AskingForTheDefaultSitesReport_Gets403SiteNotAssigned()
    {
        var b = await NewSite("Admin B");
        var adminAtB = factory.ClientAt(Http.Unique("admin.b"), "admin", b);

        var mine = await adminAtB.GetAsync("/api/v1/reports/adherence");
        var atB = await adminAtB.GetAsync($"/api/v1/reports/adherence?siteId={b}");
        var other = await adminAtB.GetAsync($"/api/v1/reports/adherence?siteId={Site.DefaultId}");

        Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        Assert.Equal(HttpStatusCode.OK, atB.StatusCode);
        await other.AssertProblem(HttpStatusCode.Forbidden, "site.not-assigned");
    }

    /// <summary>A new patient whose record is held at <paramref name="homeSiteId"/>.</summary>
    private static JsonObject Patient(Guid homeSiteId)
    {
        var patient = System.Text.Json.JsonSerializer.SerializeToNode(PatientData.NewPatient(), Http.Options)!.AsObject();
        patient["homeSiteId"] = homeSiteId;
        return patient;
    }
}
