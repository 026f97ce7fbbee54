using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using ClinicTracker.Api.Tests.Infrastructure;

namespace ClinicTracker.Api.Tests.Security;

/// <summary>
/// The API in Development with no developer signing key yet, as on a fresh machine: the key file
/// `dotnet user-jwts` writes (the user secrets' secrets.json) is pointed at a temporary path that does not
/// exist when the API starts.
/// </summary>
public sealed class FreshMachineDevelopmentFactory : ClinicApiFactory
{
    public string SecretsFile { get; } = Path.Combine(Path.GetTempPath(), "clinictracker-tests", Guid.NewGuid().ToString("N"), "usersecrets", "secrets.json");

    protected override string Environment => "Development";

    // appsettings.Development.json's issuer (dotnet-user-jwts) and audience (http://localhost:5080) apply.
    protected override bool UsesTestTokens => false;

    protected override IDictionary<string, string?> ExtraSettings => new Dictionary<string, string?>
    {
        ["Authentication:DevelopmentSigningKeysFile"] = SecretsFile,
    };

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

/// <summary>README order: start the API, then mint a token with `dotnet user-jwts`; no restart in between.</summary>
public sealed class DevelopmentTokenTests(FreshMachineDevelopmentFactory factory) : IClassFixture<FreshMachineDevelopmentFactory>
{
    private const string UserJwtsIssuer = "dotnet-user-jwts";
    private const string UserJwtsAudience = "http://localhost:5080";

    [Fact]
    public async Task KeyCreatedAfterTheApiStarted_ValidatesTokens_WithoutARestart_AndAResetKeyReplacesIt()
    {
        var client = factory.CreateClient();
        var first = RandomNumberGenerator.GetBytes(32);
        var token = TestTokens.SignedWith(first, UserJwtsIssuer, UserJwtsAudience, "admin.ops", "admin");
        Assert.False(File.Exists(factory.SecretsFile));
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(client, token)).StatusCode);

        WriteSecrets(first);

        Assert.Equal(HttpStatusCode.OK, (await Get(client, token)).StatusCode);
        // The developer key serves only its own issuer.
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await Get(client, TestTokens.SignedWith(first, "someone-else", UserJwtsAudience, "admin.ops", "admin"))).StatusCode);

        // `dotnet user-jwts key --reset`: the old key's tokens stop working, the new key's work.
        var second = RandomNumberGenerator.GetBytes(32);
        WriteSecrets(second);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Get(client, token)).StatusCode);
        Assert.Equal(HttpStatusCode.OK,
            (await Get(client, TestTokens.SignedWith(second, UserJwtsIssuer, UserJwtsAudience, "admin.ops", "admin"))).StatusCode);
    }

    /// <summary>The file exactly as `dotnet user-jwts create` writes it on a machine without user secrets.</summary>
    private void WriteSecrets(byte[] key)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(factory.SecretsFile)!);
        var secrets = new Dictionary<string, object>
        {
            ["Authentication:Schemes:Bearer:SigningKeys"] = new[]
            {
                new { Id = Convert.ToHexString(key)[..8].ToLowerInvariant(), Issuer = UserJwtsIssuer, Value = Convert.ToBase64String(key), Length = 32 },
            },
        };
        File.WriteAllText(factory.SecretsFile, JsonSerializer.Serialize(secrets));
    }

    private static async Task<HttpResponseMessage> Get(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/clinicians");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }
}
