using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>
/// The real API on a real SQLite file made by the real migrations, one database per factory (per test
/// class). Tokens are checked exactly as in production, against a signing key only tests know.
/// </summary>
public class ClinicApiFactory : WebApplicationFactory<Program>
{
    private readonly string directory = Path.Combine(Path.GetTempPath(), "clinictracker-tests", Guid.NewGuid().ToString("N"));

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

    /// <summary>A client whose requests carry a freshly signed token for this user and these roles.</summary>
    public HttpClient ClientFor(string userName, params string[] roles)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new("Bearer", TestTokens.Create(userName, roles));
        return client;
    }

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
