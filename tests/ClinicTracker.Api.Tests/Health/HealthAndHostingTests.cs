using System.Diagnostics;
using System.Globalization;
using System.Net;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Health;

public sealed class HealthAndHostingTests(ClinicApiFactory factory) : IClassFixture<ClinicApiFactory>
{
    [Fact]
    public async Task Live_AndReady_AnswerWithoutToken_WhenMigrated()
    {
        var client = factory.CreateClient();

        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/live")).StatusCode);
        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Empty((await ready.ReadObject())["pendingMigrations"]!.AsArray());
    }

    [Fact]
    public async Task Ready_WithMigrationsPending_Returns503NamingThem()
    {
        using var unmigrated = new UnmigratedFactory();

        var response = await unmigrated.CreateClient().GetAsync("/health/ready");

        var problem = await response.AssertProblem(HttpStatusCode.ServiceUnavailable, "health.migrations-pending");
        Assert.Contains(problem["pendingMigrations"]!.AsArray(), m => m!.GetValue<string>().EndsWith("_Initial", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownRoute_Returns404Problem_AndWrongMethod405Problem()
    {
        var client = factory.ClientFor("nurse.kim", "nurse");

        await (await client.GetAsync("/api/v1/nothing-here")).AssertProblem(HttpStatusCode.NotFound, "not-found");
        await (await client.DeleteAsync($"/api/v1/patients/{Guid.NewGuid()}")).AssertProblem(HttpStatusCode.MethodNotAllowed, "method-not-allowed");
        await (await factory.CreateClient().GetAsync("/api/v1/patients")).AssertProblem(HttpStatusCode.Unauthorized, "auth.unauthenticated");
        await (await client.PostAsync("/api/v1/patients", new StringContent("{}"))).AssertProblem(HttpStatusCode.UnsupportedMediaType, "unsupported-media-type");
    }

    [Theory]
    [InlineData("")]
    [InlineData("null")]
    public async Task MissingOrNullBody_Returns400NamingTheBody(string body)
    {
        var response = await factory.ClientFor("fd.jones", "front-desk").PostAsync("/api/v1/patients", Http.Json(body));

        await response.AssertValidationError("body");
    }

    [Fact]
    public async Task MigrateCommand_AppliesMigrationsAndExits()
    {
        using var database = TestDatabase.Create(migrated: false);
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ClinicTracker.Api.dll"), "migrate"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["ASPNETCORE_ENVIRONMENT"] = "Testing" },
        };
        foreach (var (key, value) in database.EnvironmentVariables)
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync(new CancellationTokenSource(TimeSpan.FromMinutes(2)).Token);

        Assert.True(process.ExitCode == 0, output + await process.StandardError.ReadToEndAsync());
        Assert.True(Convert.ToInt64(await database.ScalarAsync("SELECT COUNT(*) FROM \"__EFMigrationsHistory\""), CultureInfo.InvariantCulture) >= 1);
        if (database.Provider == "sqlite")
        {
            Assert.Equal("wal", (string)(await database.ScalarAsync("PRAGMA journal_mode"))!);
        }
    }

    private sealed class UnmigratedFactory : ClinicApiFactory
    {
        protected override IDictionary<string, string?> ExtraSettings =>
            new Dictionary<string, string?> { ["Database:MigrateOnStartup"] = "false" };
    }
}
