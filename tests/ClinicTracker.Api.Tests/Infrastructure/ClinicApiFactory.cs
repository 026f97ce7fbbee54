using ClinicTracker.Core.Clinicians;
using ClinicTracker.Core.Data;
using ClinicTracker.Core.Sites;
using Microsoft.AspNetCore.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>
/// The real API on a real database made by the real migrations — SQLite or PostgreSQL (<see cref="TestProvider"/>),
/// one database per factory (per test class). Tokens are checked exactly as in production, against a signing
/// key only tests know.
/// </summary>
public class ClinicApiFactory : WebApplicationFactory<Program>
{
    private readonly Lazy<TestDatabase> database;
    private Task<ResponseContract>? contract;

    public ClinicApiFactory()
    {
        // Made on first use, so a skipped PostgreSQL test class never needs a server.
        database = new(() => TestDatabase.Create(migrated: StartsMigrated));
    }

    /// <summary>The database behind this API, for the few tests that must reach it directly.</summary>
    public TestDatabase Database => database.Value;

    /// <summary>Settings a derived factory adds or overrides.</summary>
    protected virtual IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>();

    /// <summary>The host environment; "Testing" (not Development) unless a derived factory says otherwise.</summary>
    protected virtual string Environment => "Testing";

    /// <summary>Whether tokens are checked against the tests' own issuer, audience and key (<see cref="TestTokens"/>).</summary>
    protected virtual bool UsesTestTokens => true;

    /// <summary>
    /// Whether the API keeps its shipped stock setting (Stock:Enforce on: every dose and waste names a lot received
    /// first). The suites written before stock was tracked record doses on lot numbers no receipt made, as a clinic
    /// that keeps its stock elsewhere does, so they run with enforcement off; the stock tests, the demo seeding and
    /// the front-end scenario run with the default.
    /// </summary>
    protected virtual bool TracksStock => false;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        // Not Development unless a derived factory asks: no user secrets, no developer signing keys.
        builder.UseEnvironment(Environment);
        IEnumerable<KeyValuePair<string, string?>> tokens = UsesTestTokens ? TestTokens.HostSettings : [];
        IEnumerable<KeyValuePair<string, string?>> stock = TracksStock ? [] : [new("Stock:Enforce", "false")];
        // Later settings win: a derived factory's own override the database's and the tokens'.
        foreach (var (key, value) in Database.Settings.Concat(tokens).Concat(stock).Concat(ExtraSettings))
        {
            builder.UseSetting(key, value);
        }
    }

    /// <summary>
    /// A client whose requests carry a freshly signed token for this user and these roles. A user with a
    /// front-desk, nurse, prescriber or integrator role is put in the staff register first with that role, as an
    /// admin would have done (domain.md §9: the register is the ceiling, for reads as for writes); admins are
    /// not registered, since the identity provider alone grants that role. Authorization is never bypassed.
    /// </summary>
    public HttpClient ClientFor(string userName, params string[] roles)
    {
        if (roles.Select(StaffRoleOf).FirstOrDefault(r => r is not null) is { } role)
        {
            Register(userName, role);
        }

        return UnregisteredClientFor(userName, roles);
    }

    /// <summary>A client for a user registered with this role at these sites only (domain.md §14).</summary>
    public HttpClient ClientAt(string userName, string role, params Guid[] sites)
    {
        Register(userName, StaffRoleOf(role) ?? StaffRole.Admin, sites: sites);
        return UnregisteredClientFor(userName, role);
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

    /// <summary>A client whose token says these roles; the staff register is left as it is.</summary>
    public HttpClient UnregisteredClientFor(string userName, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create(userName, roles));
        return client;
    }

    /// <summary>
    /// Puts the user in the staff register with this role (active or not), as an admin would. Registering a
    /// user again with the same role only sets <paramref name="active"/>; another role is a mistake in the test.
    /// The entry works at <paramref name="sites"/> (default: the default site every single-clinic install has),
    /// or at every site with <paramref name="allSites"/>.
    /// </summary>
    public void Register(string userName, StaffRole role, bool active = true, IReadOnlyList<Guid>? sites = null, bool allSites = false)
    {
        using var scope = Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ClinicDbContext>();
        var normalized = userName.ToUpperInvariant();
        var existing = db.Clinicians.FirstOrDefault(c => c.UserNameNormalized == normalized);
        if (existing is not null)
        {
            if (existing.Role != role)
            {
                throw new InvalidOperationException(
                    $"Test setup: {userName} is registered as {existing.Role}, not {role}; give this caller its own user name.");
            }

            if (existing.Active != active)
            {
                existing.Change(null, null, null, active, "test-setup", DateTime.UtcNow);
                db.SaveChanges();
            }

            return;
        }

        var clinician = Clinician.Register(userName, userName, role, null, "test-setup", DateTime.UtcNow, sites ?? [Site.DefaultId], allSites);
        if (!active)
        {
            clinician.Change(null, null, null, false, "test-setup", DateTime.UtcNow);
        }

        db.Clinicians.Add(clinician);
        try
        {
            db.SaveChanges();
        }
        catch (DbUpdateException)
        {
            // Registered by a parallel call for the same user.
        }
    }

    private static StaffRole? StaffRoleOf(string role) => role switch
    {
        "front-desk" => StaffRole.FrontDesk,
        "nurse" => StaffRole.Nurse,
        "prescriber" => StaffRole.Prescriber,
        "integrator" => StaffRole.Integrator,
        _ => null,
    };

    /// <summary>
    /// Whether the database starts with every migration applied (a copy of the migrated template on PostgreSQL),
    /// as the API's own start-up migration would leave it; false when the factory turns that migration off.
    /// </summary>
    private bool StartsMigrated =>
        !(ExtraSettings.TryGetValue("Database:MigrateOnStartup", out var migrate) && string.Equals(migrate, "false", StringComparison.OrdinalIgnoreCase));

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (database.IsValueCreated)
        {
            database.Value.Dispose();
        }
    }
}
