using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Security;

public sealed class WhoActsTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    [Fact]
    public async Task UserNotInRegistry_Returns403NotRegistered_ForWritesAndReads()
    {
        var stranger = factory.UnregisteredClientFor(Http.Unique("locum"), "nurse");

        await (await stranger.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient()))
            .AssertProblem(HttpStatusCode.Forbidden, "clinician.not-registered");
        // domain.md §9: the register is the ceiling for reads as for writes.
        await (await stranger.GetAsync("/api/v1/patients")).AssertProblem(HttpStatusCode.Forbidden, "clinician.not-registered");
    }

    [Fact]
    public async Task DeactivatedClinician_CannotWrite_FromTheNextRequestOn()
    {
        var admin = factory.ClientFor("it.admin", "admin");
        var userName = Http.Unique("rn").ToLowerInvariant();
        var nurse = factory.ClientFor(userName, "nurse");
        await PatientData.Register(nurse);
        var id = (await (await admin.GetAsync($"/api/v1/clinicians?limit=200")).ReadObject())["items"]!.AsArray()
            .Single(c => c!["userName"]!.GetValue<string>() == userName)!["id"]!.GetValue<Guid>();

        await admin.PatchAsync($"/api/v1/clinicians/{id}", Http.Json("""{"active":false}""")).EnsureStatus(HttpStatusCode.OK);

        await (await nurse.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient()))
            .AssertProblem(HttpStatusCode.Forbidden, "clinician.not-registered");
    }

    [Fact]
    public async Task WrongRole_IsAPlain403_EvenWhenRegistered()
    {
        var frontDesk = factory.ClientFor("fd.jones", "front-desk");

        var problem = await (await frontDesk.PostAsJsonAsync($"/api/v1/patients/{Guid.NewGuid()}/plans", new { }))
            .AssertProblem(HttpStatusCode.Forbidden);

        Assert.Equal("auth.forbidden", problem["code"]!.GetValue<string>());
    }
}
