using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using ClinicTracker.Api.Demo;
using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;
using Xunit.Abstractions;

namespace ClinicTracker.Api.Tests.Demo;

/// <summary>
/// `dotnet ClinicTracker.Api.dll seed-demo` as a process, as `dotnet run -- seed-demo` starts it: its refusals, its
/// --force, its printed tokens. The database is this factory's; the factory (Testing, the tests' tokens) looks at it.
/// </summary>
public sealed class SeedDemoCommandTests(ClinicApiFactory factory, ITestOutputHelper output) : IClassFixture<ClinicApiFactory>, IDisposable
{
    private readonly string secretsFile = Path.Combine(Path.GetTempPath(), "clinictracker-tests", Guid.NewGuid().ToString("N"), "secrets.json");

    [Fact]
    public async Task SeedDemo_OutsideDevelopment_RefusesWithExitCode2()
    {
        var run = await RunAsync("Production", "seed-demo");

        Assert.Equal(DemoSeedCommand.NotDevelopment, run.ExitCode);
        Assert.Contains("Development environment only", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(secretsFile));
    }

    [Fact]
    public async Task SeedDemo_OnANonEmptyDatabase_RefusesWithoutForce_AndWithForceStartsItOver()
    {
        var frontDesk = factory.ClientFor("fd.seed", "front-desk");
        await frontDesk.PostAsJsonAsync("/api/v1/patients", PatientData.NewPatient(mrn: "KEEP-1")).EnsureStatus(HttpStatusCode.Created);

        var refused = await RunAsync("Development", "seed-demo");
        Assert.Equal(DemoSeedCommand.NotEmpty, refused.ExitCode);
        Assert.Contains("--force", refused.Error, StringComparison.Ordinal);
        Assert.Single((await (await frontDesk.GetAsync("/api/v1/patients?search=KEEP-1")).ReadObject())["items"]!.AsArray());

        var forced = await RunAsync("Development", "seed-demo", "--force");
        output.WriteLine($"seed-demo --force on {factory.Database.Provider}: {forced.Took.TotalSeconds:0.0} s\n{forced.Output}");
        Assert.True(forced.ExitCode == 0, forced.Error);
        Assert.Equal(5, forced.Output.Split('\n').Count(l => l.TrimStart().StartsWith("export DEMO_", StringComparison.Ordinal)));
        // Counts and user names only: no patient's name or MRN reaches the console.
        Assert.DoesNotContain(DemoPeople.FamilyName(0), forced.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("DEMO-0001", forced.Output, StringComparison.Ordinal);

        // The database was deleted and made again: the factory's pooled connections point at the old one.
        SqliteConnection.ClearAllPools();
        NpgsqlConnection.ClearAllPools();
        var again = factory.ClientFor("fd.seed2", "front-desk");
        Assert.Empty((await (await again.GetAsync("/api/v1/patients?search=KEEP-1")).ReadObject())["items"]!.AsArray());
        Assert.Equal(DemoPeople.PatientCount, (await (await again.GetAsync("/api/v1/patients?search=DEMO-&limit=50")).ReadObject())["items"]!.AsArray().Count);
        var verified = await (await factory.ClientFor("admin.seed", "admin").GetAsync("/api/v1/audit/verify")).ReadObject();
        Assert.True(verified["intact"]!.GetValue<bool>(), verified.ToJsonString());
        // The key seed-demo created is user-jwts' own format, in the file the API reads developer keys from.
        Assert.Contains("\"Issuer\": \"dotnet-user-jwts\"", await File.ReadAllTextAsync(secretsFile), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path.GetDirectoryName(secretsFile)!, recursive: true);
        }
        catch (IOException)
        {
            // Never written, or only a temp folder is left behind.
        }
    }

    private async Task<(int ExitCode, string Output, string Error, TimeSpan Took)> RunAsync(string environment, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "ClinicTracker.Api.dll"), .. args])
        {
            WorkingDirectory = AppContext.BaseDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var (key, value) in factory.Database.EnvironmentVariables)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        start.Environment.Remove("ASPNETCORE_URLS");
        start.Environment["Authentication__DevelopmentSigningKeysFile"] = secretsFile;
        var started = Stopwatch.GetTimestamp();
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr, Stopwatch.GetElapsedTime(started));
    }
}
