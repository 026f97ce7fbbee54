using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Clinicians;

public sealed class ClinicianEndpointsTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    private readonly HttpClient admin = factory.ClientFor("it.admin", "admin");

    [Fact]
    public async Task Register_ByAdmin_Returns201AndEveryStaffRoleCanRead()
    {
        var userName = Http.Unique("nurse");
        var response = await admin.PostAsJsonAsync("/api/v1/clinicians",
            new { userName, displayName = "Nurse Kim", role = "nurse", registrationNumber = "RN-123" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.ReadObject();
        Assert.Equal("nurse", body["role"]!.GetValue<string>());
        Assert.True(body["active"]!.GetValue<bool>());
        foreach (var role in new[] { "front-desk", "nurse", "prescriber", "admin" })
        {
            var read = await factory.ClientFor($"reader.{role}", role).GetAsync(response.Headers.Location);
            Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        }
    }

    [Fact]
    public async Task Register_WithActiveFalse_StoresAnInactiveEntry_ThatGrantsNothing()
    {
        var userName = Http.Unique("rn.starting").ToLowerInvariant();

        var body = await (await admin.PostAsJsonAsync("/api/v1/clinicians",
            new { userName, displayName = "Starts Monday", role = "nurse", active = false }).EnsureStatus(HttpStatusCode.Created)).ReadObject();

        Assert.False(body["active"]!.GetValue<bool>());
        await (await factory.UnregisteredClientFor(userName, "nurse").GetAsync("/api/v1/patients"))
            .AssertProblem(HttpStatusCode.Forbidden, "clinician.not-registered");
    }

    [Fact]
    public async Task Register_EveryRoleOfTheEnum_IncludingIntegrator_ActiveByDefault()
    {
        foreach (var role in new[] { "front-desk", "nurse", "prescriber", "admin", "integrator" })
        {
            var body = await (await admin.PostAsJsonAsync("/api/v1/clinicians",
                new { userName = Http.Unique(role), displayName = role, role }).EnsureStatus(HttpStatusCode.Created)).ReadObject();

            Assert.Equal(role, body["role"]!.GetValue<string>());
            Assert.True(body["active"]!.GetValue<bool>());
        }
    }

    [Fact]
    public async Task Register_ReadsNeedAStaffRole_IntegratorsDoNotReadTheRegister()
    {
        await (await factory.ClientFor("ehr.bridge", "integrator").GetAsync("/api/v1/clinicians")).AssertProblem(HttpStatusCode.Forbidden, "auth.forbidden");
    }

    [Theory]
    [InlineData("nurse")]
    [InlineData("prescriber")]
    [InlineData("front-desk")]
    [InlineData("integrator")]
    public async Task Register_ByNonAdmin_Returns403(string role)
    {
        var response = await factory.ClientFor($"someone.{role}", role).PostAsJsonAsync("/api/v1/clinicians",
            new { userName = Http.Unique("x"), displayName = "X", role = "nurse" });

        await response.AssertProblem(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Register_DuplicateUserNameInAnyCase_Returns409()
    {
        var userName = Http.Unique("dr.who");
        await admin.PostAsJsonAsync("/api/v1/clinicians", new { userName, displayName = "Dr Who", role = "prescriber" })
            .EnsureStatus(HttpStatusCode.Created);

        var response = await admin.PostAsJsonAsync("/api/v1/clinicians",
            new { userName = userName.ToUpperInvariant(), displayName = "Dr Who", role = "prescriber" });

        await response.AssertProblem(HttpStatusCode.Conflict, "clinician.duplicate-user-name");
    }

    [Theory]
    [InlineData("""{"userName":"has space","displayName":"A","role":"nurse"}""", "userName")]
    [InlineData("""{"userName":"a","displayName":"","role":"nurse"}""", "displayName")]
    [InlineData("""{"userName":"a","displayName":"A","role":"nurse","active":"yes"}""", "active")]
    [InlineData("""{"userName":"a","displayName":"A","role":"surgeon"}""", "role")]
    [InlineData("""{"userName":"a","displayName":"A"}""", "role")]
    public async Task Register_Invalid_Returns400(string json, string field)
    {
        var response = await admin.PostAsync("/api/v1/clinicians", Http.Json(json));

        await response.AssertValidationError(field);
    }

    [Fact]
    public async Task Patch_DeactivatesAndChangesOnlyWhatIsSent()
    {
        var created = await (await admin.PostAsJsonAsync("/api/v1/clinicians",
            new { userName = Http.Unique("rn"), displayName = "Before", role = "nurse", registrationNumber = "RN-1" })
            .EnsureStatus(HttpStatusCode.Created)).ReadObject();

        var patched = await admin.PatchAsync($"/api/v1/clinicians/{created["id"]}", Http.Json("""{"active":false}"""));

        Assert.Equal(HttpStatusCode.OK, patched.StatusCode);
        var body = await patched.ReadObject();
        Assert.False(body["active"]!.GetValue<bool>());
        Assert.Equal("Before", body["displayName"]!.GetValue<string>());
        Assert.Equal("RN-1", body["registrationNumber"]!.GetValue<string>());
        Assert.Equal("\"2\"", patched.Headers.ETag?.Tag);

        var stale = new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/clinicians/{created["id"]}") { Content = Http.Json("""{"displayName":"Lost"}""") };
        stale.Headers.IfMatch.Add(new("\"1\""));
        await (await admin.SendAsync(stale)).AssertProblem(HttpStatusCode.PreconditionFailed, "precondition.failed");
        await (await admin.PatchAsync($"/api/v1/clinicians/{created["id"]}", Http.Json("{}"))).AssertValidationError("body");
        await (await admin.PatchAsync($"/api/v1/clinicians/{Guid.NewGuid()}", Http.Json("""{"active":true}""")))
            .AssertProblem(HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task List_PagesByUserName()
    {
        var prefix = Http.Unique("pg").ToLowerInvariant();
        foreach (var suffix in new[] { "c", "a", "b" })
        {
            await admin.PostAsJsonAsync("/api/v1/clinicians", new { userName = $"{prefix}.{suffix}", displayName = suffix, role = "nurse" })
                .EnsureStatus(HttpStatusCode.Created);
        }

        var names = new List<string>();
        string? cursor = null;
        do
        {
            var page = await (await admin.GetAsync($"/api/v1/clinicians?limit=1{(cursor is null ? "" : $"&cursor={cursor}")}")).ReadObject();
            names.AddRange(page["items"]!.AsArray().Select(c => c!["userName"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        while (cursor is not null);

        Assert.Equal([$"{prefix}.a", $"{prefix}.b", $"{prefix}.c"], names.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase), names);
    }
}
