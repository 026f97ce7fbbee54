using System.Diagnostics;
using System.Globalization;
using ClinicTracker.Api.Common;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace ClinicTracker.Api.Demo;

/// <summary>
/// <c>dotnet run --project src/ClinicTracker.Api -- seed-demo [--force]</c> (docs/operations.md, "Demo data"; ADR 0023):
/// in Development only, fills an empty database with a small demo clinic by calling this API's own endpoints on a
/// private loopback port, then prints one user-jwts token per role. A database that holds anything is refused unless
/// <c>--force</c>, which deletes it and starts over.
/// </summary>
public sealed class DemoSeedCommand
{
    public const string Name = "seed-demo";
    public const string ForceOption = "--force";

    /// <summary>Exit code outside Development.</summary>
    public const int NotDevelopment = 2;

    /// <summary>Exit code for a database that is not empty, without --force.</summary>
    public const int NotEmpty = 3;

    /// <summary>
    /// Settings of the seeding host: a loopback port of its own (a `dotnet run` API may hold 5080), no per-user rate
    /// limit (the demo nurse sends thousands of requests in a minute), and no log line per request.
    /// </summary>
    private static readonly Dictionary<string, string?> HostSettings = new()
    {
        ["Security:PermitsPerWindow"] = "100000000",
        ["Logging:LogLevel:ClinicTracker.Requests"] = "Warning",
        ["Logging:LogLevel:Microsoft.Hosting.Lifetime"] = "Warning",
        // The "Swagger UI:" line would name the private port.
        ["Logging:LogLevel:ClinicTracker.Api"] = "Warning",
    };

    private readonly bool development;

    private DemoSeedCommand(bool force, bool development)
    {
        Force = force;
        this.development = development;
    }

    public bool Force { get; }

    /// <summary>The command when <paramref name="args"/> name it (null otherwise), with its host settings applied to the builder.</summary>
    public static DemoSeedCommand? From(WebApplicationBuilder builder, string[] args)
    {
        if (!args.Contains(Name, StringComparer.OrdinalIgnoreCase))
        {
            return null;
        }

        var command = new DemoSeedCommand(args.Contains(ForceOption, StringComparer.OrdinalIgnoreCase), builder.Environment.IsDevelopment());
        if (command.development)
        {
            builder.Configuration.AddInMemoryCollection(HostSettings);
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }

        return command;
    }

    /// <summary>Outside Development: says why on stderr and gives the exit code; null in Development.</summary>
    public int? RefuseOutsideDevelopment(IHostEnvironment environment)
    {
        if (development)
        {
            return null;
        }

        Console.Error.WriteLine(
            $"seed-demo runs in the Development environment only (this is \"{environment.EnvironmentName}\"): it makes up patients and may delete the database. " +
            "`dotnet run --project src/ClinicTracker.Api -- seed-demo` runs in Development (launchSettings.json); elsewhere set ASPNETCORE_ENVIRONMENT=Development.");
        return NotDevelopment;
    }

    /// <summary>Checks (and with --force recreates) the database, starts the API on loopback, seeds, prints tokens, stops.</summary>
    public async Task<int> RunAsync(WebApplication app, TextWriter output, CancellationToken ct = default)
    {
        var started = Stopwatch.GetTimestamp();
        await DatabaseSetup.MigrateAsync(app.Services, ct);
        var content = await DemoDatabase.ContentAsync(app.Services, ct);
        if (!content.IsEmpty && !Force)
        {
            await Console.Error.WriteLineAsync(
                $"seed-demo fills an empty database only; this one holds {content.Patients} patients, {content.StaffEntries} staff-register entries, " +
                $"{content.AddedSites} added sites and {content.StockLots} stock lots. `-- seed-demo --force` deletes the whole database and seeds it again (stop any API using it first).");
            return NotEmpty;
        }

        if (!content.IsEmpty)
        {
            await DemoDatabase.RecreateAsync(app.Services, ct);
            await output.WriteLineAsync("--force: deleted the database and made it again with the migrations.");
        }

        var tokens = DevelopmentTokens.Load(app.Configuration);
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var staffTokens = DemoPeople.Staff.ToDictionary(s => s.UserName, s => tokens.Create(s.UserName, s.Role, now));
        await app.StartAsync(ct);
        try
        {
            var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
            using var handler = new SocketsHttpHandler();
            var api = new DemoApi(user => new HttpClient(handler, disposeHandler: false)
            {
                BaseAddress = address,
                Timeout = TimeSpan.FromMinutes(2),
                DefaultRequestHeaders = { Authorization = new("Bearer", staffTokens[user]) },
            });
            var clinic = new DemoClinic(api, app.Services.GetRequiredService<TimeProvider>());
            await clinic.RunAsync(step => output.WriteLine($"seed-demo: {step}…"), ct);
            await output.WriteLineAsync(Summary(clinic.Counts, api.Requests, Stopwatch.GetElapsedTime(started)));
            await output.WriteLineAsync(TokenText(tokens, staffTokens, now));
            return 0;
        }
        finally
        {
            // Stopping drains the audit batch writer, so the trail of every seeding request is in the database.
            await app.StopAsync(CancellationToken.None);
        }
    }

    private static string Summary(DemoCounts c, int requests, TimeSpan elapsed)
    {
        static string List(IEnumerable<KeyValuePair<string, int>> counts) => string.Join(", ", counts.Select(p => $"{p.Value} {p.Key}"));
        return string.Create(CultureInfo.InvariantCulture, $"""
            Demo clinic seeded in {elapsed.TotalSeconds:0.0} s ({requests} API requests):
              {c.Staff} staff-register entries, {c.Patients} patients, {c.Plans} plans ({List(c.PlansBy)})
              past sessions: {List(c.Sessions)}; {c.Upcoming} upcoming sessions booked
              {c.Doses} doses ({c.Overrides} soft-limit override), {c.Waste} witnessed waste records, {c.StockReceipts} stock receipts and {c.StockCounts} counts, {c.Observations} observations, {c.AdverseEvents} adverse events
              {c.Assessments} PHQ-9 assessments, {c.OpenSafetyFlags} open safety flag
            """);
    }

    private static string TokenText(DevelopmentTokens tokens, Dictionary<string, string> staffTokens, DateTimeOffset now)
    {
        var lines = new List<string>
        {
            string.Create(CultureInfo.InvariantCulture,
                $"Tokens (user-jwts key in {tokens.SecretsFile}; valid until {now.UtcDateTime.AddMonths(3):yyyy-MM-dd}), one per role:"),
        };
        foreach (var member in DemoPeople.Staff.Where(s => s != DemoPeople.WitnessNurse))
        {
            lines.Add($"  # {member.Role}: {member.UserName}");
            lines.Add($"  export DEMO_{member.Role.ToUpperInvariant().Replace('-', '_')}_TOKEN={staffTokens[member.UserName]}");
        }

        lines.Add("Start the API (`dotnet run --project src/ClinicTracker.Api`), then paste a token under Authorize in Swagger UI, or:");
        lines.Add($"  curl -s '{tokens.Audiences[0]}/api/v1/patients?limit=5' -H \"Authorization: Bearer $DEMO_NURSE_TOKEN\"");
        return string.Join(Environment.NewLine, lines);
    }
}
