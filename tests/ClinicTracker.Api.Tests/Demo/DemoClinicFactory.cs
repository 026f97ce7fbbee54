using System.Diagnostics;
using ClinicTracker.Api.Demo;
using ClinicTracker.Api.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;

namespace ClinicTracker.Api.Tests.Demo;

/// <summary>
/// The API in Development, as `dotnet run` starts it, with the user-jwts key file in a temp folder: the demo seeder's
/// tokens (<see cref="DevelopmentTokens"/>) are checked exactly as on a developer's machine.
/// </summary>
public sealed class DemoClinicFactory : ClinicApiFactory
{
    public string SecretsFile { get; } = Path.Combine(Path.GetTempPath(), "clinictracker-tests", Guid.NewGuid().ToString("N"), "usersecrets", "secrets.json");

    protected override string Environment => "Development";

    protected override bool UsesTestTokens => false;

    /// <summary>The demo seeds with the shipped stock setting: its lots are received before any dose names them.</summary>
    protected override bool TracksStock => true;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Authentication:DevelopmentSigningKeysFile"] = SecretsFile,
        // The seeder sends thousands of requests as one nurse (seed-demo's own host lifts the limit the same way).
        ["Security:PermitsPerWindow"] = "100000000",
    };

    public DevelopmentTokens Tokens => DevelopmentTokens.Load(Services.GetRequiredService<IConfiguration>());

    /// <summary>A client with the demo token of this staff member, as seed-demo prints it.</summary>
    public HttpClient ClientAs(DemoStaffMember member)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", Tokens.Create(member.UserName, member.Role, DateTimeOffset.UtcNow));
        return client;
    }

    /// <summary>Runs every step of the demo against this API, as seed-demo does on its loopback port.</summary>
    public async Task<(DemoCounts Counts, TimeSpan Took)> SeedAsync()
    {
        var tokens = Tokens;
        var started = Stopwatch.GetTimestamp();
        // Plain clients for the seeding itself (the contract checks of CreateClient are for the assertions).
        var api = new DemoApi(user =>
        {
            var client = CreateDefaultClient();
            var member = DemoPeople.Staff.Single(s => s.UserName == user);
            client.DefaultRequestHeaders.Authorization = new("Bearer", tokens.Create(member.UserName, member.Role, DateTimeOffset.UtcNow));
            return client;
        });
        var clinic = new DemoClinic(api, TimeProvider.System);
        await clinic.RunAsync(_ => { });
        return (clinic.Counts, Stopwatch.GetElapsedTime(started));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(SecretsFile)!)!, recursive: true);
        }
        catch (IOException)
        {
            // Only a temp folder is left behind.
        }
    }
}

/// <summary>One demo clinic per test class: seeding takes a while, and every test here only reads it.</summary>
public sealed class SeededDemoClinic : IAsyncLifetime
{
    public DemoClinicFactory Factory { get; } = new();

    public DemoCounts Counts { get; private set; } = new();

    public TimeSpan Took { get; private set; }

    public async Task InitializeAsync()
    {
        if (TestProvider.IsPostgres && TestProvider.PostgresServer is null)
        {
            // Every test of the class is reported skipped; there is nothing to seed.
            return;
        }

        (Counts, Took) = await Factory.SeedAsync();
    }

    public Task DisposeAsync()
    {
        Factory.Dispose();
        return Task.CompletedTask;
    }
}
