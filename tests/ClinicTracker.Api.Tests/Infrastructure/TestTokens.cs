using System.Security.Claims;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace ClinicTracker.Api.Tests.Infrastructure;

/// <summary>Mints real HS256 JWTs shaped like `dotnet user-jwts` tokens (unique_name, sub, role claims).</summary>
public static class TestTokens
{
    public const string Issuer = "clinictracker-tests";
    public const string Audience = "clinictracker-api";

    private static readonly byte[] SigningKey = RandomNumberGenerator.GetBytes(32);

    public static string SigningKeyBase64 { get; } = Convert.ToBase64String(SigningKey);

    /// <summary>The host settings under which the API checks these tokens exactly as in production.</summary>
    public static IReadOnlyDictionary<string, string?> HostSettings { get; } = new Dictionary<string, string?>
    {
        ["Authentication:Schemes:Bearer:ValidIssuer"] = Issuer,
        ["Authentication:Schemes:Bearer:ValidAudiences:0"] = Audience,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Issuer"] = Issuer,
        ["Authentication:Schemes:Bearer:SigningKeys:0:Value"] = SigningKeyBase64,
    };

    public static string Create(string userName, params string[] roles) =>
        Sign(userName, roles, DateTime.UtcNow.AddMinutes(30), SigningKey);

    /// <summary>A valid token that also carries these claims (what a misconfigured identity provider might send).</summary>
    public static string WithClaims(string userName, IEnumerable<(string Type, string Value)> claims, params string[] roles) =>
        Sign(userName, roles, DateTime.UtcNow.AddMinutes(30), SigningKey, extra: claims);

    public static string Expired(string userName, params string[] roles) =>
        Sign(userName, roles, DateTime.UtcNow.AddMinutes(-10), SigningKey);

    /// <summary>A token whose lifetime ended <paramref name="ago"/> before now (clock-skew tests).</summary>
    public static string ExpiredAgo(TimeSpan ago, string userName, params string[] roles) =>
        Sign(userName, roles, DateTime.UtcNow - ago, SigningKey);

    public static string WrongKey(string userName, params string[] roles) =>
        Sign(userName, roles, DateTime.UtcNow.AddMinutes(30), RandomNumberGenerator.GetBytes(32));

    /// <summary>A token for another issuer, audience and key: what `dotnet user-jwts create` mints in Development.</summary>
    public static string SignedWith(byte[] key, string issuer, string audience, string userName, params string[] roles) =>
        Sign(userName, roles, DateTime.UtcNow.AddMinutes(30), key, issuer, audience);

    private static string Sign(string userName, string[] roles, DateTime expires, byte[] key,
        string issuer = Issuer, string audience = Audience, IEnumerable<(string Type, string Value)>? extra = null)
    {
        var claims = new List<Claim> { new("unique_name", userName), new("sub", userName) };
        claims.AddRange(roles.Select(r => new Claim("role", r)));
        claims.AddRange((extra ?? []).Select(c => new Claim(c.Type, c.Value)));
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity(claims),
            NotBefore = expires.AddHours(-1),
            IssuedAt = expires.AddHours(-1),
            Expires = expires,
            SigningCredentials = new SigningCredentials(new SymmetricSecurityKey(key), SecurityAlgorithms.HmacSha256),
        });
    }
}
