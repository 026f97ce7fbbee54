using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Health;

/// <summary>With the database down, the API says so (503 with Retry-After, nothing stored), never a bare 500.</summary>
public sealed class DatabaseDownTests
{
    [Fact]
    public async Task EveryRequest_Gets503DatabaseUnavailable_AndReadinessSaysUnreachable()
    {
        using var down = new DownFactory();
        var client = down.UnregisteredClientFor("nurse.kim", "nurse");

        var read = await client.GetAsync($"/api/v1/patients/{Guid.NewGuid()}");
        await read.AssertProblem(HttpStatusCode.ServiceUnavailable, "database.unavailable");
        Assert.NotNull(read.Headers.RetryAfter);
        var write = await client.PostAsync("/api/v1/patients", Http.Json(System.Text.Json.JsonSerializer.Serialize(PatientData.NewPatient())));
        await write.AssertProblem(HttpStatusCode.ServiceUnavailable, "database.unavailable");

        await (await down.CreateClient().GetAsync("/health/ready")).AssertProblem(HttpStatusCode.ServiceUnavailable, "health.database-unreachable");
        Assert.Equal(HttpStatusCode.OK, (await down.CreateClient().GetAsync("/health/live")).StatusCode);
    }

    private sealed class DownFactory : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings => TestDatabase.Unreachable.ToDictionary();
    }
}
