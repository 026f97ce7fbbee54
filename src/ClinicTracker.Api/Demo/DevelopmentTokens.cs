using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using ClinicTracker.Api.Common;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ClinicTracker.Api.Demo;

/// <summary>
/// Development only: mints bearer tokens the way <c>dotnet user-jwts create</c> does, with the signing key that tool
/// keeps in this project's user secrets (issuer <c>dotnet-user-jwts</c>, the audience appsettings.Development.json
/// expects). Without a key yet, one is written exactly as the tool writes it, so a later <c>dotnet user-jwts create</c>
/// signs with the same key and the API (<see cref="DevelopmentSigningKeys"/>) accepts both.
/// </summary>
public sealed class DevelopmentTokens
{
    /// <summary>The issuer <c>dotnet user-jwts</c> writes into its tokens and beside its key.</summary>
    public const string Issuer = "dotnet-user-jwts";

    private const string SigningKeysKey = "Authentication:Schemes:Bearer:SigningKeys";

    private readonly byte[] key;

    private DevelopmentTokens(byte[] key, IReadOnlyList<string> audiences, string secretsFile)
    {
        this.key = key;
        Audiences = audiences;
        SecretsFile = secretsFile;
    }

    /// <summary>The audiences every token carries (the configured <c>ValidAudiences</c>, as user-jwts takes the launch URLs).</summary>
    public IReadOnlyList<string> Audiences { get; }

    /// <summary>The user-secrets file that holds the key.</summary>
    public string SecretsFile { get; }

    /// <summary>
    /// The user-jwts key of this project, created (and saved beside whatever else the secrets file holds) when there is
    /// none. The file is the one the API reads developer keys from (<c>Authentication:DevelopmentSigningKeysFile</c>,
    /// default the user secrets of the project's UserSecretsId), so the tokens work on the API run by <c>dotnet run</c>.
    /// </summary>
    public static DevelopmentTokens Load(IConfiguration configuration)
    {
        var file = configuration["Authentication:DevelopmentSigningKeysFile"] ?? DevelopmentSigningKeys.UserSecretsFile();
        var audiences = configuration.GetSection("Authentication:Schemes:Bearer:ValidAudiences").Get<string[]>() is { Length: > 0 } configured
            ? configured
            : ["http://localhost:5080"];
        var secrets = File.Exists(file) ? JsonNode.Parse(File.ReadAllText(file)) as JsonObject ?? [] : [];
        if (ExistingKey(secrets) is { } existing)
        {
            return new DevelopmentTokens(existing, audiences, file);
        }

        // What `dotnet user-jwts` writes on first use: a random 32-byte key, its id the first 8 hex digits.
        var key = RandomNumberGenerator.GetBytes(32);
        var keys = secrets[SigningKeysKey] as JsonArray ?? [];
        keys.Add(new JsonObject
        {
            ["Id"] = Convert.ToHexString(key)[..8].ToLowerInvariant(),
            ["Issuer"] = Issuer,
            ["Value"] = Convert.ToBase64String(key),
            ["Length"] = 32,
        });
        secrets[SigningKeysKey] = keys;
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllText(file, secrets.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        return new DevelopmentTokens(key, audiences, file);
    }

    /// <summary>
    /// A token shaped like user-jwts': <c>unique_name</c> and <c>sub</c> are the user name, one <c>role</c> claim per
    /// role, a <c>jti</c>, every audience, HS256, valid for three months (the tool's default lifetime).
    /// </summary>
    public string Create(string userName, string role, DateTimeOffset now)
    {
        var claims = new List<Claim>
        {
            new("unique_name", userName),
            new("sub", userName),
            new("jti", Convert.ToHexString(RandomNumberGenerator.GetBytes(4)).ToLowerInvariant()),
            new("role", role),
        };
        claims.AddRange(Audiences.Select(a => new Claim("aud", a)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Subject = new ClaimsIdentity(claims),
            NotBefore = now.UtcDateTime,
            IssuedAt = now.UtcDateTime,
            Expires = now.UtcDateTime.AddMonths(3),
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }

    private static byte[]? ExistingKey(JsonObject secrets)
    {
        // user-jwts writes the flat key "Authentication:Schemes:Bearer:SigningKeys"; the newest key of its issuer signs.
        if (secrets[SigningKeysKey] is not JsonArray keys)
        {
            return null;
        }

        return keys.OfType<JsonObject>()
            .Where(k => (string?)k["Issuer"] == Issuer && k["Value"]?.GetValue<string>() is { } value
                && Convert.TryFromBase64String(value, new byte[value.Length], out var length) && length >= 32)
            .Select(k => Convert.FromBase64String(k["Value"]!.GetValue<string>()))
            .LastOrDefault();
    }
}
