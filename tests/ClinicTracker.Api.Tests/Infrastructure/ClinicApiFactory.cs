using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>
/// The real API on a real SQLite file made by the real migrations, one database per factory (per test
/// class). Tokens are checked exactly as in production, against a signing key only tests know.
/// </summary>
public class ClinicApiFactory : WebApplicationFactory<Program>
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "clinictracker-tests", Guid.NewGuid().ToString("N"));
    private Task<ResponseContract>? contract;

    public string DataDirectory => directory;

    /// <summary>Settings a derived factory adds or overrides.</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development: no user secrets, no developer signing keys.
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:DataDirectory", directory);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidIssuer", TestTokens.Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:ValidAudiences:0", TestTokens.Audience);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Issuer", TestTokens.Issuer);
        builder.UseSetting("Authentication:Schemes:Bearer:SigningKeys:0:Value", TestTokens.SigningKeyBase64);
        foreach (var (key, value) in ExtraSettings)
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// A client whose requests carry a freshly signed token for this user and these roles. Staff users are
    /// put in the clinician registry first (clinical writes need an active registered clinician), as an
    /// admin would have done; authorization itself is never bypassed.
    /// </summary>
    public HttpClient ClientFor(string userName, params string[] roles)
    {
        if (roles.Select(StaffRoleOf).FirstOrDefault(r => r is not null) is { } role)
        {
            EnsureRegistered(userName, role);
        }

        return UnregisteredClientFor(userName, roles);
    }

    /// <summary>
    /// A client whose every JSON response must match the served OpenAPI document (<see cref="ResponseContract"/>),
    /// with the redirect and cookie handling of WebApplicationFactory's own clients.
    /// </summary>
    public new HttpClient CreateClient() =>
        CreateDefaultClient(new Microsoft.AspNetCore.Mvc.Testing.Handlers.RedirectHandler(),
            new Microsoft.AspNetCore.Mvc.Testing.Handlers.CookieContainerHandler(), new ResponseContractHandler(Contract));

    /// <summary>The served OpenAPI document as a response checker, read once per factory.</summary>
    public Task<ResponseContract> Contract() => LazyInitializer.EnsureInitialized(ref contract, () => ResponseContract.LoadAsync(Server.CreateClient()));

    /// <summary>A client for a user who is not in the clinician registry.</summary>
    public HttpClient UnregisteredClientFor(string userName, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create(userName, roles));
        return client;
    }

    private void EnsureRegistered(string userName, StaffRole role)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var normalized = userName.ToUpperInvariant();
        if (!db.Clinicians.Any(c => c.UserNameNormalized == normalized))
        {
            db.Clinicians.Add(Clinician.Register(userName, userName, role, null, "test-setup", DateTime.UtcNow));
            try
            {
                db.SaveChanges();
            }
            catch (DbUpdateException)
            {
                // Registered by a parallel call for the same user.
            }
        }
    }

    private static StaffRole? StaffRoleOf(string role) => role switch
    {
        "front-desk" => StaffRole.FrontDesk,
        "nurse" => StaffRole.Nurse,
        "prescriber" => StaffRole.Prescriber,
        "admin" => StaffRole.Admin,
        _ => null,
    };

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open only leaves a temp folder behind.
        }
    }
}
